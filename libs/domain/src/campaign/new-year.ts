import type { FieldViolation } from "../errors.js";
import { deadlineClosesAt, formatChineseDate, isCalendarDate } from "./deadline.js";
import type { Campaign, StageCode, StageSchedule } from "./types.js";

/**
 * A province's campaign of a new year: the dates a copy proposes, the order its stage dates must
 * keep, and what opening it should warn about.
 */

/** The review chain, in order: each stage's last day may not come before the previous one's. */
export const STAGE_CHAIN: readonly StageCode[] = ["APPLICATION", "SCHOOL_REVIEW", "COUNTY_REVIEW", "CITY_REVIEW", "PROVINCE_REVIEW", "PUBLICATION"];

/** A date moved by whole years (29 February becomes 28 February in a common year). */
export function shiftDateByYears(date: string | null, years: number): string | null {
  if (!date || years === 0 || !isCalendarDate(date)) return date;
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const ny = y + years;
  const last = new Date(Date.UTC(ny, m, 0)).getUTCDate();
  return `${ny}-${String(m).padStart(2, "0")}-${String(Math.min(d, last)).padStart(2, "0")}`;
}

/** The year of an instant in Beijing time. */
export function beijingYear(now: Date): number {
  return new Date(now.getTime() + 8 * 3_600_000).getUTCFullYear();
}

/** The last day among the stages' deadlines (null: no stage has one). */
function lastDeadline(stages: Pick<StageSchedule, "deadline">[]): string | null {
  const ds = stages.map((s) => s.deadline).filter((d): d is string => !!d && isCalendarDate(d));
  return ds.length ? ds.sort().at(-1)! : null;
}

/**
 * The year a copy of `source` goes to by default: this (Beijing) year, unless the source's dates
 * moved to this year would all have passed (a copy made in December), then the next year.
 */
export function defaultCopyYear(source: Pick<Campaign, "year" | "stages">, now: Date): number {
  const year = Math.max(beijingYear(now), source.year + 1);
  const last = lastDeadline(source.stages);
  if (!last) return year;
  const moved = shiftDateByYears(last, year - source.year)!;
  return deadlineClosesAt(moved) <= now ? year + 1 : year;
}

/** The stages and issue date of a copy moved to `year` (city schedules are not copied). */
export function copiedDates(source: Pick<Campaign, "year" | "stages" | "issuedOn">, year: number): { stages: StageSchedule[]; issuedOn: string } {
  const years = year - source.year;
  return {
    stages: source.stages.map((s) => ({ stage: s.stage, name: s.name, deadline: shiftDateByYears(s.deadline, years), unitDeadlines: {} })),
    issuedOn: shiftDateByYears(source.issuedOn || null, years) ?? "",
  };
}

/** The stage dates must be real dates and keep the order of the review chain. */
export function stageDateViolations(stages: Pick<StageSchedule, "stage" | "name" | "deadline">[]): FieldViolation[] {
  const v: FieldViolation[] = [];
  stages.forEach((s, i) => {
    if (s.deadline !== null && !isCalendarDate(s.deadline)) {
      v.push({ field: `stages[${i}].deadline`, rule: "date", message: `「${s.name}」的截止日期「${s.deadline}」须为YYYY-MM-DD格式的有效日期` });
    }
  });
  if (v.length) return v;
  let prev: { name: string; deadline: string } | null = null;
  for (const code of STAGE_CHAIN) {
    const i = stages.findIndex((s) => s.stage === code);
    const s = stages[i];
    if (!s?.deadline) continue;
    if (prev && s.deadline < prev.deadline) {
      v.push({
        field: `stages[${i}].deadline`,
        rule: "order",
        message: `「${s.name}」的截止日期${formatChineseDate(s.deadline)}早于前一阶段「${prev.name}」的${formatChineseDate(prev.deadline)}`,
      });
    }
    prev = { name: s.name, deadline: s.deadline };
  }
  return v;
}

export type OpeningWarningCode = "DEADLINE_PASSED" | "ALL_STAGES_CLOSED" | "NO_REVIEWER" | "OTHER_CAMPAIGN_OPEN" | "YEAR_PASSED";

export interface OpeningWarning {
  code: OpeningWarningCode;
  message: string;
}

/** A unit that would hold applications (it has teachers, applications or places) but has nobody to review them. */
export interface UnitWithoutReviewer {
  name: string;
  /** "COUNTY" or "CITY": which reviewer is missing. */
  level: "COUNTY" | "CITY";
}

/**
 * What a province admin should know before opening a campaign: stage dates already passed (and
 * whether every stage is closed), units with no reviewer for a level the campaign passes through,
 * and other campaigns still open.
 */
export function openingWarnings(input: {
  campaign: Pick<Campaign, "year" | "stages" | "pipeline">;
  now: Date;
  unitsWithoutReviewer: UnitWithoutReviewer[];
  otherOpen: { title: string; year: number }[];
}): OpeningWarning[] {
  const { campaign, now } = input;
  const w: OpeningWarning[] = [];
  if (campaign.year < beijingYear(now)) {
    w.push({ code: "YEAR_PASSED", message: `活动年度${campaign.year}年早于今年（${beijingYear(now)}年）` });
  }
  const dated = campaign.stages.filter((s) => s.deadline && isCalendarDate(s.deadline));
  const passed = dated.filter((s) => deadlineClosesAt(s.deadline!) <= now);
  for (const s of passed) {
    w.push({ code: "DEADLINE_PASSED", message: `「${s.name}」的截止日期${formatChineseDate(s.deadline!)}已过，开启后该阶段即为已截止` });
  }
  if (dated.length && passed.length === dated.length) {
    w.push({ code: "ALL_STAGES_CLOSED", message: "所有设有截止日期的阶段均已截止：教师将无法提交申报，请先修改阶段日期" });
  }
  const levels = new Set(campaign.pipeline.levels);
  for (const level of ["CITY", "COUNTY"] as const) {
    if (!levels.has(level)) continue;
    const units = input.unitsWithoutReviewer.filter((u) => u.level === level).map((u) => u.name);
    if (!units.length) continue;
    const who = level === "COUNTY" ? "县（市、区）审核员" : "设区市审核员";
    const shown = units.length > 20 ? `${units.slice(0, 20).join("、")}等${units.length}个单位` : units.join("、");
    w.push({ code: "NO_REVIEWER", message: `${shown}没有${who}：这些单位的申报将无人审核，请先指定审核员` });
  }
  for (const o of input.otherOpen) {
    w.push({ code: "OTHER_CAMPAIGN_OPEN", message: `「${o.title}」（${o.year}年）仍在进行中，如已结束请将其关闭` });
  }
  return w;
}
