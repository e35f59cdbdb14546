import { Arg, Ctx as GqlCtx, ID, Mutation, Query, Resolver } from "type-graphql";
import type { Ctx } from "../../common/context.js";
import * as publication from "./publication.service.js";
import {
  ExcellentInstructor, ExcellentInstructorInput, ExcellentUnit, Publication, PublishedCampaign, PublishedResults, UpcomingResults,
} from "./finalization.types.js";

@Resolver()
export class PublicationResolver {
  @Query(() => PublishedResults, { description: "A campaign's published results (public: no login needed)" })
  publishedResults(
    @Arg("campaignId", () => ID) campaignId: string,
    @Arg("categoryCode", () => String, { nullable: true }) categoryCode: string | null,
    @GqlCtx() ctx: Ctx,
  ) {
    return publication.publishedResults(ctx, campaignId, categoryCode);
  }

  @Query(() => [PublishedCampaign], { description: "Campaigns whose results are published (public)" })
  publishedCampaigns(@GqlCtx() ctx: Ctx) {
    return publication.publishedCampaigns(ctx.db);
  }

  @Query(() => [UpcomingResults], { description: "Open campaigns whose results are not published yet, with when they are due (public)" })
  upcomingResults(@GqlCtx() ctx: Ctx) {
    return publication.upcomingResults(ctx.db);
  }

  @Query(() => Publication, { nullable: true, description: "When a campaign's results were published (null: not yet)" })
  resultsPublication(@Arg("campaignId", () => ID) campaignId: string, @GqlCtx() ctx: Ctx) {
    return publication.publication(ctx, campaignId);
  }

  @Mutation(() => Publication, { description: "Publish a campaign's results once every application at the province is decided (audited)" })
  publishResults(@Arg("campaignId", () => ID) campaignId: string, @GqlCtx() ctx: Ctx) {
    return publication.publishResults(ctx, campaignId);
  }

  @Query(() => [ExcellentUnit], { description: "优秀组织单位 of a campaign" })
  excellentUnits(@Arg("campaignId", () => ID) campaignId: string, @GqlCtx() ctx: Ctx) {
    return publication.excellentUnits(ctx, campaignId);
  }

  @Query(() => [ExcellentInstructor], { description: "优秀指导教师 of a campaign" })
  excellentInstructors(@Arg("campaignId", () => ID) campaignId: string, @GqlCtx() ctx: Ctx) {
    return publication.excellentInstructors(ctx, campaignId);
  }

  @Mutation(() => ExcellentUnit)
  addExcellentUnit(
    @Arg("campaignId", () => ID) campaignId: string,
    @Arg("unitId", () => ID) unitId: string,
    @Arg("reason", () => String, { nullable: true }) reason: string | null,
    @GqlCtx() ctx: Ctx,
  ) {
    return publication.addExcellentUnit(ctx, campaignId, unitId, reason);
  }

  @Mutation(() => ExcellentUnit)
  updateExcellentUnit(@Arg("id", () => ID) id: string, @Arg("reason", () => String, { nullable: true }) reason: string | null, @GqlCtx() ctx: Ctx) {
    return publication.updateExcellentUnit(ctx, id, reason);
  }

  @Mutation(() => Boolean)
  removeExcellentUnit(@Arg("id", () => ID) id: string, @GqlCtx() ctx: Ctx) {
    return publication.removeExcellentUnit(ctx, id);
  }

  @Mutation(() => ExcellentInstructor)
  addExcellentInstructor(@Arg("campaignId", () => ID) campaignId: string, @Arg("input", () => ExcellentInstructorInput) input: ExcellentInstructorInput, @GqlCtx() ctx: Ctx) {
    return publication.addExcellentInstructor(ctx, campaignId, input);
  }

  @Mutation(() => ExcellentInstructor)
  updateExcellentInstructor(@Arg("id", () => ID) id: string, @Arg("input", () => ExcellentInstructorInput) input: ExcellentInstructorInput, @GqlCtx() ctx: Ctx) {
    return publication.updateExcellentInstructor(ctx, id, input);
  }

  @Mutation(() => Boolean)
  removeExcellentInstructor(@Arg("id", () => ID) id: string, @GqlCtx() ctx: Ctx) {
    return publication.removeExcellentInstructor(ctx, id);
  }
}
