import { Arg, Args, Ctx as GqlCtx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { Ctx } from "../../common/context.js";
import { PageArgs } from "../../common/paging.js";
import * as activity from "./activity.service.js";
import { MAX_BATCH_LINES } from "./activity-ingest.service.js";
import {
  ActivityDay, ActivityImportJob, ActivityImportJobPage, ActivityIngestResult, ActivityLedgerPage, ActivityLineErrorPage, LedgerSortField, TeacherActivity,
} from "./activity.types.js";

@Resolver(() => TeacherActivity)
export class ActivityResolver {
  @Mutation(() => ActivityIngestResult, {
    description: `Platform integration: store a batch of events (JSON Lines, one event per string, at most ${MAX_BATCH_LINES}; pass them as a variable). Idempotent by event id; the points of the accounts concerned are recomputed before the answer.`,
  })
  ingestActivityEvents(@Arg("lines", () => [String]) lines: string[], @GqlCtx() ctx: Ctx) {
    return activity.ingestEvents(ctx, lines);
  }

  @Query(() => ActivityImportJob, { description: "An event-file import started with POST /api/activity/import" })
  activityImportJob(@Arg("id", () => ID) id: string, @GqlCtx() ctx: Ctx) {
    return activity.getImportJob(ctx, id);
  }

  @Query(() => ActivityImportJobPage, { description: "Event-file imports, newest first" })
  activityImportJobs(@Args() page: PageArgs, @GqlCtx() ctx: Ctx) {
    return activity.listImportJobs(ctx, page);
  }

  @Query(() => TeacherActivity, { description: "The signed-in user's own activity points in a year" })
  myActivity(@Arg("year", () => Int) year: number, @GqlCtx() ctx: Ctx) {
    return activity.myActivity(ctx, year);
  }

  @Query(() => TeacherActivity, { description: "A teacher's activity points (by user id, or by platform account) in a year, inside the caller's scope" })
  teacherActivity(
    @Arg("year", () => Int) year: number,
    @Arg("userId", () => ID, { nullable: true }) userId: string | null,
    @Arg("account", () => String, { nullable: true }) account: string | null,
    @GqlCtx() ctx: Ctx,
  ) {
    return activity.teacherActivity(ctx, { userId, account }, year);
  }

  @FieldResolver(() => [ActivityDay], { description: "Days of the year (or of one month of it) with points, for calendar charts" })
  days(@Root() t: TeacherActivity, @Arg("month", () => String, { nullable: true, description: "YYYY-MM within the year" }) month: string | null, @GqlCtx() ctx: Ctx) {
    return activity.activityDays(ctx, t.account, t.year, month);
  }

  @FieldResolver(() => ActivityLedgerPage, { description: "The points log of the year (or of one month of it): every award and deduction with its rule and event, newest first by default" })
  ledger(
    @Root() t: TeacherActivity,
    @Arg("month", () => String, { nullable: true, description: "YYYY-MM within the year" }) month: string | null,
    @Args() page: PageArgs,
    @Arg("sort", () => LedgerSortField, { defaultValue: LedgerSortField.time }) sort: LedgerSortField,
    @Arg("desc", () => Boolean, { defaultValue: true, description: "Descending order of the sort key (ties newest first)" }) desc: boolean,
    @GqlCtx() ctx: Ctx,
  ) {
    return activity.ledgerPage(ctx, t.account, t.year, month, page, { sort, desc });
  }
}

@Resolver(() => ActivityImportJob)
export class ActivityImportJobResolver {
  @FieldResolver(() => ActivityLineErrorPage, { description: "Refused lines with their line numbers, in line order" })
  errors(@Root() job: ActivityImportJob, @Args() page: PageArgs, @GqlCtx() ctx: Ctx) {
    return activity.importErrors(ctx, job.id, page);
  }
}
