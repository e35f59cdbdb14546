import { Arg, Args, ArgsType, Ctx as GqlCtx, Field, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import type { Ctx } from "../../common/context.js";
import { PageArgs } from "../../common/paging.js";
import * as assignments from "./expert-assignment.service.js";
import { AssignmentPlanResult, AssignmentStateEnum, ExpertAssignment, ExpertAssignmentPage, ExpertProfile, type AssignmentState } from "./finalization.types.js";

@ArgsType()
export class ExpertAssignmentFilterArgs extends PageArgs {
  @Field(() => ID) campaignId: string;
  @Field(() => String, { nullable: true }) categoryCode?: string | null;
  @Field(() => ID, { nullable: true }) applicationId?: string | null;
  @Field(() => ID, { nullable: true, description: "The expert's user id" }) expertId?: string | null;
  @Field(() => AssignmentStateEnum, { nullable: true }) state?: AssignmentState | null;
}

@Resolver()
export class ExpertAssignmentResolver {
  @Query(() => [ExpertProfile], { description: "Users holding the expert role in the province, with their load in the campaign" })
  expertPool(@Arg("campaignId", () => ID) campaignId: string, @GqlCtx() ctx: Ctx) {
    return assignments.expertPool(ctx, campaignId);
  }

  @Query(() => ExpertAssignmentPage, { description: "Expert assignments of a campaign (draft and released)" })
  expertAssignments(@Args() a: ExpertAssignmentFilterArgs, @GqlCtx() ctx: Ctx) {
    return assignments.listAssignments(ctx, a, a);
  }

  @Mutation(() => AssignmentPlanResult, {
    description: "Plan draft assignments for the applications at the province: balanced loads, never a conflicted expert; released and hand-made assignments stay",
  })
  autoAssignExperts(
    @Arg("campaignId", () => ID) campaignId: string,
    @Arg("categoryCode", () => String, { nullable: true }) categoryCode: string | null,
    @Arg("expertsPerApplication", () => Int, { nullable: true, description: "Default: the campaign's setting" }) expertsPerApplication: number | null,
    @GqlCtx() ctx: Ctx,
  ) {
    return assignments.autoAssignExperts(ctx, campaignId, { categoryCode, expertsPerApplication });
  }

  @Mutation(() => ExpertAssignment, { description: "Assign an expert by hand (a draft); conflicts (self, same school, same city) are refused" })
  assignExpert(@Arg("applicationId", () => ID) applicationId: string, @Arg("expertId", () => ID) expertId: string, @GqlCtx() ctx: Ctx) {
    return assignments.assignExpert(ctx, applicationId, expertId);
  }

  @Mutation(() => Boolean, { description: "Remove an assignment; a released one needs a reason; a submitted score keeps it" })
  unassignExpert(
    @Arg("assignmentId", () => ID) assignmentId: string,
    @Arg("reason", () => String, { nullable: true }) reason: string | null,
    @GqlCtx() ctx: Ctx,
  ) {
    return assignments.unassignExpert(ctx, assignmentId, reason);
  }

  @Mutation(() => Int, { description: "Release the draft assignments to the experts; applications enter expert review. Returns how many were released" })
  releaseAssignments(
    @Arg("campaignId", () => ID) campaignId: string,
    @Arg("categoryCode", () => String, { nullable: true }) categoryCode: string | null,
    @GqlCtx() ctx: Ctx,
  ) {
    return assignments.releaseAssignments(ctx, campaignId, categoryCode);
  }
}
