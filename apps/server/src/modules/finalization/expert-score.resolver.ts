import { Arg, Args, ArgsType, Ctx as GqlCtx, Field, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import type { Ctx } from "../../common/context.js";
import { PageArgs } from "../../common/paging.js";
import * as scores from "./expert-score.service.js";
import { ExpertAssignmentPage, ExpertScoreView, ScoreItemInput, ScoreSheet } from "./finalization.types.js";

@ArgsType()
export class MyAssignmentsArgs extends PageArgs {
  @Field(() => ID, { nullable: true }) campaignId?: string | null;
}

@Resolver()
export class ExpertScoreResolver {
  @Query(() => ExpertAssignmentPage, { description: "The acting expert's released assignments" })
  myAssignments(@Args() a: MyAssignmentsArgs, @GqlCtx() ctx: Ctx) {
    return scores.myAssignments(ctx, a.campaignId, a);
  }

  @Query(() => ScoreSheet, { description: "The acting expert's scoring form for an application assigned and released to them" })
  scoreSheet(@Arg("applicationId", () => ID) applicationId: string, @GqlCtx() ctx: Ctx) {
    return scores.scoreSheet(ctx, applicationId);
  }

  @Query(() => [ExpertScoreView], { description: "Every expert's score of an application (province)" })
  expertScores(@Arg("applicationId", () => ID) applicationId: string, @GqlCtx() ctx: Ctx) {
    return scores.expertScores(ctx, applicationId);
  }

  @Mutation(() => ScoreSheet, { description: "Save a draft score (values given are set, null clears one)" })
  saveScore(
    @Arg("applicationId", () => ID) applicationId: string,
    @Arg("scores", () => [ScoreItemInput]) items: ScoreItemInput[],
    @Arg("version", () => Int, { description: "The sheet's version as loaded (0 before the first save)" }) version: number,
    @GqlCtx() ctx: Ctx,
  ) {
    return scores.saveScore(ctx, applicationId, items, version);
  }

  @Mutation(() => ScoreSheet, { description: "Submit the score: every item needs a value; the score is then locked" })
  submitScore(
    @Arg("applicationId", () => ID) applicationId: string,
    @Arg("scores", () => [ScoreItemInput], { nullable: true }) items: ScoreItemInput[] | null,
    @Arg("version", () => Int) version: number,
    @GqlCtx() ctx: Ctx,
  ) {
    return scores.submitScore(ctx, applicationId, items, version);
  }

  @Mutation(() => ScoreSheet, { description: "Change a submitted score: a reason is required; old and new values land in the history" })
  changeSubmittedScore(
    @Arg("applicationId", () => ID) applicationId: string,
    @Arg("scores", () => [ScoreItemInput]) items: ScoreItemInput[],
    @Arg("reason") reason: string,
    @Arg("version", () => Int) version: number,
    @GqlCtx() ctx: Ctx,
  ) {
    return scores.changeSubmittedScore(ctx, applicationId, items, reason, version);
  }
}
