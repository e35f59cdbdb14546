import { Arg, Args, ArgsType, Ctx as GqlCtx, Field, ID, Mutation, Query, Resolver } from "type-graphql";
import type { Ctx } from "../../common/context.js";
import { PageArgs } from "../../common/paging.js";
import * as ranking from "./ranking.service.js";
import {
  CategoryFinalization, GradingSchemeInput, GradingSchemeView, RankingPage, ScoringProgressPage, ScoringProgressRow,
} from "./finalization.types.js";

@ArgsType()
export class ScoringProgressArgs extends PageArgs {
  @Field(() => ID) campaignId: string;
  @Field(() => String, { nullable: true }) categoryCode?: string | null;
  @Field(() => Boolean, { nullable: true, description: "true: only high-spread applications; false: only the others" }) flagged?: boolean | null;
}

@ArgsType()
export class CategoryArgs extends PageArgs {
  @Field(() => ID) campaignId: string;
  @Field() categoryCode: string;
}

@Resolver()
export class GradingResolver {
  @Query(() => ScoringProgressPage, { description: "Per application: experts assigned, released, submitted; aggregated score and spread flag" })
  scoringProgress(@Args() a: ScoringProgressArgs, @GqlCtx() ctx: Ctx) {
    return ranking.progressRows(ctx, a, a);
  }

  @Query(() => RankingPage, { description: "A category's ranking by aggregated score, with grades by the current scheme (or the final grades)" })
  categoryRanking(@Args() a: CategoryArgs, @GqlCtx() ctx: Ctx) {
    return ranking.categoryRanking(ctx, a.campaignId, a.categoryCode, a);
  }

  @Query(() => CategoryFinalization, { description: "A category's stored grades (preview or final)" })
  categoryFinalization(@Args() a: CategoryArgs, @GqlCtx() ctx: Ctx) {
    return ranking.categoryFinalization(ctx, a.campaignId, a.categoryCode, a);
  }

  @Mutation(() => GradingSchemeView, { description: "Set the campaign's grading scheme: proportions of the ranked list, or minimum scores" })
  setGradingScheme(@Arg("campaignId", () => ID) campaignId: string, @Arg("grading", () => GradingSchemeInput) grading: GradingSchemeInput, @GqlCtx() ctx: Ctx) {
    return ranking.setGradingScheme(ctx, campaignId, grading);
  }

  @Mutation(() => ScoringProgressRow, { description: "Record the further review of a high-spread application (holds for its current scores)" })
  reviewSpread(@Arg("applicationId", () => ID) applicationId: string, @Arg("note") note: string, @GqlCtx() ctx: Ctx) {
    return ranking.reviewSpread(ctx, applicationId, note);
  }

  @Mutation(() => CategoryFinalization, { description: "Grade a category by the campaign's scheme and store it as a preview" })
  applyGrades(@Args() a: CategoryArgs, @GqlCtx() ctx: Ctx) {
    return ranking.applyGrades(ctx, a.campaignId, a.categoryCode, a);
  }

  @Mutation(() => CategoryFinalization, { description: "Finalize a category from its preview: FINALIZED with the grade, or NOT_SELECTED" })
  finalizeCampaignCategory(@Args() a: CategoryArgs, @GqlCtx() ctx: Ctx) {
    return ranking.finalizeCampaignCategory(ctx, a.campaignId, a.categoryCode, a);
  }
}
