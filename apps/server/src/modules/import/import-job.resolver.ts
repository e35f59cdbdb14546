import { Arg, Ctx as GqlCtx, FieldResolver, ID, Int, Query, Resolver, Root } from "type-graphql";
import type { Ctx } from "../../common/context.js";
import * as jobs from "./import-job.service.js";
import { ImportJob, ImportRowError } from "./import-job.types.js";

@Resolver(() => ImportJob)
export class ImportJobResolver {
  @Query(() => ImportJob, { description: "An import the caller uploaded (POST /api/import/teachers): poll it for progress and the outcome" })
  importJob(@Arg("id", () => ID) id: string, @GqlCtx() ctx: Ctx) {
    return jobs.getImportJob(ctx, id);
  }

  @Query(() => [ImportJob], { description: "The caller's latest imports, newest first" })
  importJobs(@Arg("limit", () => Int, { defaultValue: 10 }) limit: number, @GqlCtx() ctx: Ctx) {
    return jobs.listImportJobs(ctx, limit);
  }

  @FieldResolver(() => [ImportRowError], { description: "Row errors in row order (at most 1000 per request; the report has them all)" })
  errors(
    @Root() job: ImportJob,
    @Arg("offset", () => Int, { defaultValue: 0 }) offset: number,
    @Arg("limit", () => Int, { defaultValue: 1000 }) limit: number,
    @GqlCtx() ctx: Ctx,
  ) {
    return jobs.jobErrors(ctx, job, offset, limit);
  }
}
