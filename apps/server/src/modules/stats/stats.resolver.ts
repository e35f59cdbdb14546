import { Arg, Args, Ctx as GqlCtx, ID, Query, Resolver } from "type-graphql";
import type { Ctx } from "../../common/context.js";
import { PageArgs } from "../../common/paging.js";
import * as stats from "./stats.service.js";
import {
  ActivityPeriods, SchoolRankingPage, SchoolRankingSortField, TeacherActivityPage, TeacherActivitySortField, UnitActivity,
} from "./stats.types.js";

const PERIOD = { description: "A year YYYY or a month YYYY-MM (Asia/Shanghai)" };
const UNIT = { nullable: true, description: "Default: the acting role's unit" };
const SCHOOL_SORT = { defaultValue: SchoolRankingSortField.rank, description: "Display order; the rank stays the rank by overall activity" };
const TEACHER_SORT = { defaultValue: TeacherActivitySortField.points };
const DESC = (defaultValue: boolean) => ({ defaultValue, description: "Descending order of the sort key (ties stay in their fixed order)" });

@Resolver()
export class StatsResolver {
  @Query(() => ActivityPeriods, { description: "Years and the latest month with points: a teacher's or expert's own, otherwise the unit's (for default periods)" })
  activityPeriods(@Arg("unitId", () => ID, UNIT) unitId: string | null, @GqlCtx() ctx: Ctx) {
    return stats.activityPeriods(ctx, unitId);
  }

  @Query(() => UnitActivity, { description: "Activity statistics of a unit and everything below it" })
  unitActivity(@Arg("period", PERIOD) period: string, @Arg("unitId", () => ID, UNIT) unitId: string | null, @GqlCtx() ctx: Ctx) {
    return stats.unitActivity(ctx, unitId, period);
  }

  @Query(() => [UnitActivity], { description: "Activity statistics of each child unit (for dashboards)" })
  childUnitsActivity(@Arg("period", PERIOD) period: string, @Arg("unitId", () => ID, UNIT) unitId: string | null, @GqlCtx() ctx: Ctx) {
    return stats.childUnitsActivity(ctx, unitId, period);
  }

  @Query(() => SchoolRankingPage, { description: "Schools ranked by overall activity within a county, city or the province (the monthly 通报)" })
  schoolRanking(
    @Arg("period", PERIOD) period: string,
    @Arg("scopeUnitId", () => ID, UNIT) scopeUnitId: string | null,
    @Args() page: PageArgs,
    @Arg("sort", () => SchoolRankingSortField, SCHOOL_SORT) sort: SchoolRankingSortField,
    @Arg("desc", () => Boolean, DESC(false)) desc: boolean,
    @GqlCtx() ctx: Ctx,
  ) {
    return stats.schoolRanking(ctx, scopeUnitId, period, page, false, { sort, desc });
  }

  @Query(() => SchoolRankingPage, { description: "Schools missing the school target (overall activity and active-space ratio), lowest first by default, with their rank" })
  belowTargetSchools(
    @Arg("period", PERIOD) period: string,
    @Arg("unitId", () => ID, UNIT) unitId: string | null,
    @Args() page: PageArgs,
    @Arg("sort", () => SchoolRankingSortField, SCHOOL_SORT) sort: SchoolRankingSortField,
    @Arg("desc", () => Boolean, DESC(true)) desc: boolean,
    @GqlCtx() ctx: Ctx,
  ) {
    return stats.schoolRanking(ctx, unitId, period, page, true, { sort, desc });
  }

  @Query(() => TeacherActivityPage, { description: "Unlocked teachers of a unit with their points, most first by default" })
  teacherActivityPage(
    @Arg("period", PERIOD) period: string,
    @Arg("unitId", () => ID, UNIT) unitId: string | null,
    @Args() page: PageArgs,
    @Arg("sort", () => TeacherActivitySortField, TEACHER_SORT) sort: TeacherActivitySortField,
    @Arg("desc", () => Boolean, DESC(true)) desc: boolean,
    @GqlCtx() ctx: Ctx,
  ) {
    return stats.teacherActivityPage(ctx, unitId, period, false, page, { sort, desc });
  }

  @Query(() => TeacherActivityPage, { description: "Unlocked teachers below the teacher target of the period, fewest points first by default" })
  belowTargetTeachers(
    @Arg("period", PERIOD) period: string,
    @Arg("unitId", () => ID, UNIT) unitId: string | null,
    @Args() page: PageArgs,
    @Arg("sort", () => TeacherActivitySortField, TEACHER_SORT) sort: TeacherActivitySortField,
    @Arg("desc", () => Boolean, DESC(false)) desc: boolean,
    @GqlCtx() ctx: Ctx,
  ) {
    return stats.teacherActivityPage(ctx, unitId, period, true, page, { sort, desc });
  }
}
