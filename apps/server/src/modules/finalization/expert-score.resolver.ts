import { Arg, Args, ArgsType, Ctx as GqlCtx, Field, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, registerEnumType } from "type-graphql";
import type { Ctx } from "../../common/context.js";
import { PageArgs } from "../../common/paging.js";
import { FileRef } from "../application/application.types.js";
import { storedFileById } from "../files/files.service.js";
import * as scores from "./expert-score.service.js";
import { ExpertScoreView, MyAssignmentPage, ScoreItemInput, ScoreSheet } from "./finalization.types.js";

export enum ScoreProgressFilter {
  ALL = "ALL",
  TODO = "TODO",
  DONE = "DONE",
}
registerEnumType(ScoreProgressFilter, {
  name: "ScoreProgressFilter",
  description: "Which expert tasks to list",
  valuesConfig: { ALL: { description: "Every task" }, TODO: { description: "Not submitted yet (not started or draft)" }, DONE: { description: "Score submitted" } },
});

@ArgsType()
export class MyAssignmentsArgs extends PageArgs {
  @Field(() => ID, { nullable: true }) campaignId?: string | null;
  @Field(() => ScoreProgressFilter, { defaultValue: ScoreProgressFilter.ALL }) progress: ScoreProgressFilter;
}

@Resolver()
export class ExpertScoreResolver {
  @Query(() => MyAssignmentPage, { description: "The acting expert's released assignments, optionally only the open or the submitted ones, with counts by scoring state" })
  myAssignments(@Args() a: MyAssignmentsArgs, @GqlCtx() ctx: Ctx) {
    return scores.myAssignments(ctx, a.campaignId, a, a.progress);
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

  @Mutation(() => Int, {
    description: "Remind the experts who have not submitted their score of an application in expert review (province; once a day per expert): how many were reminded now",
  })
  remindExperts(@Arg("applicationId", () => ID) applicationId: string, @GqlCtx() ctx: Ctx) {
    return scores.remindExperts(ctx, applicationId);
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

@Resolver(() => ScoreSheet)
export class ScoreSheetResolver {
  @FieldResolver(() => FileRef, { nullable: true, description: "The submitted 图文介绍 (zip); the expert may download it while the assignment is released" })
  async photoZip(@Root() s: ScoreSheet, @GqlCtx() ctx: Ctx) {
    return FileRef.from(await storedFileById(ctx, (s.form as { photoZipFileId?: unknown } | null)?.photoZipFileId));
  }

  @FieldResolver(() => FileRef, { nullable: true, description: "The submitted 案例视频; the expert may download it while the assignment is released" })
  async video(@Root() s: ScoreSheet, @GqlCtx() ctx: Ctx) {
    return FileRef.from(await storedFileById(ctx, (s.form as { videoFileId?: unknown } | null)?.videoFileId));
  }

  @FieldResolver(() => FileRef, { nullable: true, description: "The submitted 案例文档 (when the case was uploaded as a document); downloadable while the assignment is released" })
  async caseDocument(@Root() s: ScoreSheet, @GqlCtx() ctx: Ctx) {
    return FileRef.from(await storedFileById(ctx, (s.form as { caseDocumentFileId?: unknown } | null)?.caseDocumentFileId));
  }
}
