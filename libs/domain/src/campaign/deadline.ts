import { DomainError } from "../errors.js";
import type { Campaign, StageCode, StageSchedule } from "./types.js";

/**
 * A province admin's extension of a stage deadline (audited by the server). Without `unitKey` it
 * extends the stage for everyone; with one, for that unit and everything below it.
 */
export interface StageExtension {
  stage: StageCode;
  unitKey?: string | null;
  /** New last day, YYYY-MM-DD in Asia/Shanghai, inclusive. */
  until: string;
  reason?: string;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const BEIJING_OFFSET_MS = 8 * 3_600_000;
const ONE_DAY_MS = 86_400_000;

/** Is `s` a real calendar date written YYYY-MM-DD? */
export function isCalendarDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** The instant a stage whose last day is `date` closes: 24:00 Beijing time of that day. */
export function deadlineClosesAt(date: string): Date {
  if (!isCalendarDate(date)) {
    throw new DomainError("BAD_INPUT", `截止日期「${date}」格式不正确，应为YYYY-MM-DD`, "deadline");
  }
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) + ONE_DAY_MS - BEIJING_OFFSET_MS);
}

/** "2023-09-30" → "2023年9月30日". */
export function formatChineseDate(date: string): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return `${y}年${m}月${d}日`;
}

export function findStage(campaign: Campaign, stage: StageCode): StageSchedule | undefined {
  return campaign.stages.find((s) => s.stage === stage);
}

/**
 * The last day of `stage` for a unit, or null when the stage has no deadline.
 *
 * `unitPath` lists the unit keys from the widest to the acting unit itself (e.g. province, city,
 * county). The base is the deepest unit's own schedule, else the stage default; extensions for the
 * stage or for any unit on the path only ever move it later (the latest one wins).
 */
export function effectiveDeadline(
  campaign: Campaign,
  stage: StageCode,
  extensions: readonly StageExtension[] = [],
  unitPath: readonly string[] = [],
): string | null {
  const schedule = findStage(campaign, stage);
  if (!schedule) return null;
  let base = schedule.deadline;
  for (const key of unitPath) {
    const own = schedule.unitDeadlines?.[key];
    if (own !== undefined) base = own;
  }
  if (base === null) return null;
  let latest = base;
  for (const ext of extensions) {
    if (ext.stage !== stage) continue;
    if (ext.unitKey != null && !unitPath.includes(ext.unitKey)) continue;
    if (deadlineClosesAt(ext.until) > deadlineClosesAt(latest)) latest = ext.until;
  }
  return latest;
}

/**
 * Refuses the actions of a stage once its deadline (with extensions) has passed.
 * @throws DomainError DEADLINE_PASSED naming the stage and its last day.
 */
export function assertStageOpen(
  campaign: Campaign,
  stage: StageCode,
  now: Date,
  extensions: readonly StageExtension[] = [],
  unitPath: readonly string[] = [],
): void {
  const last = effectiveDeadline(campaign, stage, extensions, unitPath);
  if (last === null) return;
  if (now.getTime() >= deadlineClosesAt(last).getTime()) {
    const name = findStage(campaign, stage)?.name ?? stage;
    throw new DomainError(
      "DEADLINE_PASSED",
      `「${name}」阶段已于${formatChineseDate(last)}24时（北京时间）截止，不能再进行此操作；如需延期请联系省级管理员`,
      undefined,
      { stage, deadline: last },
    );
  }
}
