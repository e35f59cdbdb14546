import { badInput } from "../errors.js";

/** Values of the featured-space rubric (SPEC §6) the platform computes; rule values, not campaign data. */
export const FEATURED_SPACE_RULES = {
  microCourseMinVideos: 5,
  microCourseBasePoints: 5,
  microCourseSpreadsForBonus: 100,
  microCourseMax: 10,
  resourceSharingGate: 200,
  submittedResourcePoints: 1,
  submittedResourcesMax: 10,
  validTeachingDayMinutes: 10,
  classroomPointsPerDay: 0.5,
  classroomMax: 20,
  afterClassPointsEach: 0.5,
  afterClassMax: 10,
  interactionPointsEach: 0.5,
  interactionMax: 5,
  activityMinStudents: 10,
  activityPoints: 1,
  activitiesMax: 10,
  mobileShareStep: 0.1,
  mobileShareMax: 5,
  yearlyPointsMax: 10,
} as const;

/**
 * The rubric's mobile item (Annex 2): 1 point per full 10% of the year's points earned on the
 * mobile client, at most `mobileShareMax`; nothing when the year has no points.
 */
export function mobileSharePoints(yearlyPoints: number, yearlyMobilePoints: number): number {
  if (yearlyPoints <= 0) return 0;
  const tenths = Math.floor((yearlyMobilePoints * 10) / yearlyPoints);
  return Math.max(0, Math.min(tenths, FEATURED_SPACE_RULES.mobileShareMax));
}

export interface MicroVideo {
  /** Distinct users who spread the video over its life. */
  spreads: number;
  /** Played through a third-party link on the space: earns nothing and does not count. */
  thirdPartyLink: boolean;
}

/**
 * Platform data for one teacher. Every field is optional: absent or null means "no data" and the
 * item comes out NO_DATA — never a guessed 0.
 */
export interface FeaturedSpaceInputs {
  /** Micro-course videos shown on the space. */
  microVideos?: readonly MicroVideo[] | null;
  /** Items shared in the space's cloud drive. */
  sharedResourceCount?: number | null;
  /** Original resources approved at province level since the application. */
  provinceApprovedOriginals?: number | null;
  /** Minutes of mobile-client teaching per Asia/Shanghai calendar day (YYYY-MM-DD → minutes). */
  mobileTeachingMinutesByDay?: Readonly<Record<string, number>> | null;
  /** Homework assignments plus homework gradings. */
  homeworkAssignedOrGraded?: number | null;
  /** Effective teacher–student or teacher–parent interactions. */
  interactions?: number | null;
  /** Number of students taking part in each teaching activity. */
  activityStudentCounts?: readonly number[] | null;
  /** Yearly activity points and the part of them earned on the mobile client. */
  yearlyPoints?: number | null;
  yearlyMobilePoints?: number | null;
  /** Position of the yearly points in the ranked group (ties share the best rank, "1224"). */
  yearlyPointsRank?: { rank: number; groupSize: number } | null;
}

export type ComputedItemStatus = "COMPUTED" | "EXPERT" | "NO_DATA";

export interface ComputedItem {
  itemId: string;
  /** COMPUTED: `value` is the platform's; EXPERT: the expert scores; NO_DATA: nothing to compute from. */
  status: ComputedItemStatus;
  value: number | null;
  /** Chinese explanation of how the value came about. */
  detail: string;
}

const R = FEATURED_SPACE_RULES;

function assertCount(value: number, field: string): void {
  if (!Number.isInteger(value) || value < 0) {
    throw badInput([{ field, rule: "count", message: `「${field}」须为非负整数，实际为${value}` }]);
  }
}

function noData(itemId: string, what: string): ComputedItem {
  return { itemId, status: "NO_DATA", value: null, detail: `暂无${what}数据` };
}

function capped(itemId: string, count: number, each: number, max: number, what: string): ComputedItem {
  const raw = count * each;
  const value = Math.min(raw, max);
  const cap = raw > max ? `，已达上限${max}分` : "";
  return { itemId, status: "COMPUTED", value, detail: `${what}${count}，每个${each}分${cap}` };
}

/**
 * Linear score by rank: `max` for rank 1, 0 for the last rank, ties sharing the better rank;
 * a group of one gets `max`. Rounded to 2 decimals.
 */
export function rankScore(rank: number, groupSize: number, max: number = R.yearlyPointsMax): number {
  if (!Number.isInteger(groupSize) || groupSize < 1 || !Number.isInteger(rank) || rank < 1 || rank > groupSize) {
    throw badInput([{ field: "yearlyPointsRank", rule: "rank", message: `排名须为1到${groupSize}之间的整数，实际为${rank}` }]);
  }
  if (groupSize === 1) return max;
  return Math.round(((max * (groupSize - rank)) / (groupSize - 1)) * 100) / 100;
}

/** Days with at least `minMinutes` of mobile teaching. */
export function countValidTeachingDays(
  minutesByDay: Readonly<Record<string, number>>,
  minMinutes: number = R.validTeachingDayMinutes,
): number {
  return Object.values(minutesByDay).filter((m) => m >= minMinutes).length;
}

function microCourse(videos: readonly MicroVideo[]): ComputedItem {
  const id = "MICRO_COURSE";
  const counted = videos.filter((v) => !v.thirdPartyLink);
  const excluded = videos.length - counted.length;
  const note = excluded > 0 ? `（另有${excluded}个第三方链接视频不计）` : "";
  if (counted.length < R.microCourseMinVideos) {
    return {
      itemId: id, status: "COMPUTED", value: 0,
      detail: `展示的微课视频${counted.length}个${note}，不足${R.microCourseMinVideos}个，不得分`,
    };
  }
  const popular = counted.filter((v) => v.spreads >= R.microCourseSpreadsForBonus).length;
  const value = Math.min(R.microCourseBasePoints + popular, R.microCourseMax);
  return {
    itemId: id, status: "COMPUTED", value,
    detail: `展示的微课视频${counted.length}个${note}得${R.microCourseBasePoints}分；传播数达${R.microCourseSpreadsForBonus}的${popular}个，每个再得1分；待专家确认`,
  };
}

/**
 * The computed items of the featured-space rubric. Expert items (CASE, DIGITAL_STORY, and
 * RESOURCE_SHARING once past its gate) come out with status EXPERT.
 */
export function computeFeaturedSpaceItems(input: FeaturedSpaceInputs): ComputedItem[] {
  const items: ComputedItem[] = [];

  if (input.microVideos == null) items.push(noData("MICRO_COURSE", "微课视频"));
  else {
    input.microVideos.forEach((v, i) => assertCount(v.spreads, `microVideos[${i}].spreads`));
    items.push(microCourse(input.microVideos));
  }

  if (input.sharedResourceCount == null) items.push(noData("RESOURCE_SHARING", "资源共享"));
  else {
    assertCount(input.sharedResourceCount, "sharedResourceCount");
    items.push(
      input.sharedResourceCount < R.resourceSharingGate
        ? { itemId: "RESOURCE_SHARING", status: "COMPUTED", value: 0, detail: `共享资源${input.sharedResourceCount}条，不足${R.resourceSharingGate}条，不得分` }
        : { itemId: "RESOURCE_SHARING", status: "EXPERT", value: null, detail: `共享资源${input.sharedResourceCount}条，由专家评分` },
    );
  }

  if (input.provinceApprovedOriginals == null) items.push(noData("SUBMITTED_RESOURCES", "资源报送"));
  else {
    assertCount(input.provinceApprovedOriginals, "provinceApprovedOriginals");
    items.push(capped("SUBMITTED_RESOURCES", input.provinceApprovedOriginals, R.submittedResourcePoints, R.submittedResourcesMax, "省级审核通过的原创资源"));
  }

  if (input.mobileTeachingMinutesByDay == null) items.push(noData("CLASSROOM", "移动端授课"));
  else {
    const days = countValidTeachingDays(input.mobileTeachingMinutesByDay);
    items.push(capped("CLASSROOM", days, R.classroomPointsPerDay, R.classroomMax, "移动端授课有效天数"));
  }

  if (input.homeworkAssignedOrGraded == null) items.push(noData("AFTER_CLASS", "作业布置与批改"));
  else {
    assertCount(input.homeworkAssignedOrGraded, "homeworkAssignedOrGraded");
    items.push(capped("AFTER_CLASS", input.homeworkAssignedOrGraded, R.afterClassPointsEach, R.afterClassMax, "布置、批改作业次数"));
  }

  if (input.interactions == null) items.push(noData("INTERACTION", "师生互动"));
  else {
    assertCount(input.interactions, "interactions");
    items.push(capped("INTERACTION", input.interactions, R.interactionPointsEach, R.interactionMax, "有效互动次数"));
  }

  if (input.activityStudentCounts == null) items.push(noData("ACTIVITIES", "教学活动"));
  else {
    input.activityStudentCounts.forEach((n, i) => assertCount(n, `activityStudentCounts[${i}]`));
    const qualifying = input.activityStudentCounts.filter((n) => n >= R.activityMinStudents).length;
    items.push(capped("ACTIVITIES", qualifying, R.activityPoints, R.activitiesMax, `学生参与不少于${R.activityMinStudents}人的活动数`));
  }

  if (input.yearlyPoints == null || input.yearlyMobilePoints == null) items.push(noData("MOBILE_SHARE", "年度经验值"));
  else {
    const total = input.yearlyPoints;
    const mobile = input.yearlyMobilePoints;
    if (total <= 0) {
      items.push({ itemId: "MOBILE_SHARE", status: "COMPUTED", value: 0, detail: `年度经验值为${total}，移动占比不得分` });
    } else {
      const tenths = Math.floor((mobile * 10) / total);
      const value = mobileSharePoints(total, mobile);
      items.push({
        itemId: "MOBILE_SHARE", status: "COMPUTED", value,
        detail: `移动端经验值${mobile}/年度经验值${total}，每满10%得1分${tenths > R.mobileShareMax ? `，已达上限${R.mobileShareMax}分` : ""}`,
      });
    }
  }

  if (input.yearlyPointsRank == null) items.push(noData("YEARLY_POINTS", "年度经验值排名"));
  else {
    const { rank, groupSize } = input.yearlyPointsRank;
    items.push({
      itemId: "YEARLY_POINTS", status: "COMPUTED", value: rankScore(rank, groupSize),
      detail: `年度经验值排名第${rank}（共${groupSize}人）`,
    });
  }

  items.push({ itemId: "CASE", status: "EXPERT", value: null, detail: "由专家评分" });
  items.push({ itemId: "DIGITAL_STORY", status: "EXPERT", value: null, detail: "由专家评分" });
  return items;
}

