import { badInput as badInputOf, DomainError, type FieldViolation } from "../errors.js";
import type { AwardCategory, Campaign, ReviewLevel } from "../campaign/types.js";
import type { ApplicationOrigin } from "./levels.js";
import type { HistoryEntryFields } from "./transition.js";

/**
 * One counter a recommendation consumes a place in. The server keeps one row per (campaign,
 * key) and takes a place with `UPDATE … SET used = used + 1 WHERE used < cap`.
 *
 * Keys: `<category>/<level>/<unit>` plus `/sub-quota`, `/from/<county>`, `/direct` or
 * `/practice-base` (see quotaBucketsFor).
 */
export interface QuotaBucket {
  key: string;
  categoryCode: string;
  /** The level whose recommendations the bucket counts. */
  level: ReviewLevel;
  /** The recommending unit. */
  unitKey: string;
  scope: "CITY" | "COUNTY" | "SUB_QUOTA" | "FROM_COUNTY" | "DIRECT" | "PRACTICE_BASE";
  /** Cap after province overrides. */
  cap: number;
  /** Cap from the campaign (or the city's sub-quota allocation) before overrides. */
  baseCap: number;
  /** Chinese description, e.g. "推荐至省级的「优秀教学空间」名额". */
  description: string;
}

/** A province admin's raise of one bucket's cap (audited by the server). */
export interface QuotaOverride {
  bucketKey: string;
  cap: number;
  reason: string;
}

export interface QuotaContext {
  /** The origin city's county sub-quotas for this category, by county code. */
  subQuotas?: Readonly<Record<string, number>>;
  /** Province overrides; the last one for a key wins. */
  overrides?: readonly QuotaOverride[];
}

export function findCategory(campaign: Pick<Campaign, "categories">, categoryCode: string): AwardCategory {
  const c = campaign.categories.find((x) => x.code === categoryCode);
  if (!c) throw new DomainError("NOT_FOUND", `本次活动没有「${categoryCode}」类别`, "categoryCode");
  return c;
}

/**
 * The buckets one recommendation at `level` consumes, for an application from `origin`.
 *
 * - COUNTY → city: `perCounty` (every county), plus the county's sub-quota when the city allocated
 *   one (`countySubQuotas`); a county without an allocation has no county-level cap.
 * - CITY → province: practice-base applicants only the separate `practiceBasePerCity` bucket when
 *   the category has one; all others `perCity` (a city not listed: cap 0), plus `perCityFromEachCounty`
 *   for applicants with a county or `perCityDirect` for those directly under the city.
 * - SCHOOL confirmation and the province take no places.
 */
export function quotaBucketsFor(
  campaign: Pick<Campaign, "categories">,
  categoryCode: string,
  level: ReviewLevel,
  origin: ApplicationOrigin,
  context: QuotaContext = {},
): QuotaBucket[] {
  const category = findCategory(campaign, categoryCode);
  const q = category.quota;
  const name = category.name;
  const buckets: Omit<QuotaBucket, "cap">[] = [];
  const add = (b: Omit<QuotaBucket, "cap" | "categoryCode" | "level">): void => {
    buckets.push({ ...b, categoryCode, level });
  };

  if (level === "COUNTY" && origin.countyCode !== null) {
    const county = origin.countyCode;
    const base = `${categoryCode}/COUNTY/${county}`;
    if (q.perCounty !== undefined) {
      add({ key: base, unitKey: county, scope: "COUNTY", baseCap: q.perCounty, description: `推荐至设区市的「${name}」名额` });
    }
    const allocated = q.countySubQuotas ? context.subQuotas?.[county] : undefined;
    if (allocated !== undefined) {
      add({ key: `${base}/sub-quota`, unitKey: county, scope: "SUB_QUOTA", baseCap: allocated, description: `设区市分配的「${name}」县级名额` });
    }
  }

  if (level === "CITY") {
    const city = origin.cityCode;
    const base = `${categoryCode}/CITY/${city}`;
    if (origin.practiceBaseKey !== null && q.practiceBasePerCity !== undefined) {
      add({ key: `${base}/practice-base`, unitKey: city, scope: "PRACTICE_BASE", baseCap: q.practiceBasePerCity, description: `实践教育基地推荐至省级的「${name}」名额` });
    } else {
      if (q.perCity !== undefined) {
        add({ key: base, unitKey: city, scope: "CITY", baseCap: q.perCity[city] ?? 0, description: `推荐至省级的「${name}」名额` });
      }
      if (origin.countyCode !== null && q.perCityFromEachCounty !== undefined) {
        add({ key: `${base}/from/${origin.countyCode}`, unitKey: city, scope: "FROM_COUNTY", baseCap: q.perCityFromEachCounty, description: `从所属县（市、区）推荐至省级的「${name}」名额` });
      }
      if (origin.countyCode === null && q.perCityDirect !== undefined) {
        add({ key: `${base}/direct`, unitKey: city, scope: "DIRECT", baseCap: q.perCityDirect, description: `市直属申报推荐至省级的「${name}」名额` });
      }
    }
  }

  const overrides = new Map((context.overrides ?? []).map((o) => [o.bucketKey, o.cap]));
  return buckets.map((b) => ({ ...b, cap: Math.max(b.baseCap, overrides.get(b.key) ?? b.baseCap) }));
}

/** Places left per bucket. */
export function remainingPlaces(buckets: readonly QuotaBucket[], used: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(buckets.map((b) => [b.key, Math.max(0, b.cap - (used[b.key] ?? 0))]));
}

/** The error for a full bucket, naming the unit (pass its Chinese name when known) and the numbers. */
export function quotaExceededError(bucket: QuotaBucket, used: number, unitName?: string): DomainError {
  return new DomainError(
    "QUOTA_EXCEEDED",
    `${unitName ?? bucket.unitKey}${bucket.description}已用完（已推荐${used}个，上限${bucket.cap}个）`,
    undefined,
    { bucketKey: bucket.key, used, cap: bucket.cap },
  );
}

/**
 * Refuses a recommendation that would take any bucket past its cap. For previews and in-memory
 * checks; the server's atomic counter update is what guarantees the cap under concurrency.
 */
export function assertPlacesAvailable(
  buckets: readonly QuotaBucket[],
  used: Readonly<Record<string, number>>,
  unitNames: Readonly<Record<string, string>> = {},
): void {
  for (const b of buckets) {
    const n = used[b.key] ?? 0;
    if (n >= b.cap) throw quotaExceededError(b, n, unitNames[b.unitKey]);
  }
}

/** A place one recommendation took, as the server records it. */
export interface QuotaPlace {
  bucketKey: string;
  /** The level whose recommendation took it. */
  level: ReviewLevel;
  revision: number;
  /** Given back already (by a withdrawal or a return). */
  released: boolean;
}

/**
 * The places an action gives back, from the application's recorded places:
 * - return (at any level): every place still held for the returned revision, at every level —
 *   the application restarts at its first level;
 * - withdrawRecommendation: the places the withdrawing level's recommendation took;
 * - anything else (reject, disqualify, not selected, …): none — a place once used stays used.
 */
export function placesFreedBy(
  entry: Pick<HistoryEntryFields, "action" | "level" | "revision">,
  places: readonly QuotaPlace[],
): QuotaPlace[] {
  const held = places.filter((p) => !p.released && p.revision === entry.revision);
  if (entry.action === "return") return held;
  if (entry.action === "withdrawRecommendation") return held.filter((p) => p.level === entry.level);
  return [];
}

/** Places in use per bucket (unreleased ones), e.g. to reconcile counters. */
export function usedPlacesByBucket(places: readonly QuotaPlace[]): Record<string, number> {
  const used: Record<string, number> = {};
  for (const p of places) if (!p.released) used[p.bucketKey] = (used[p.bucketKey] ?? 0) + 1;
  return used;
}

/** "「瑞安市」已推荐6个，不能将名额调低到5个（不得少于已推荐的6个）". */
export function belowUsedMessage(who: string, used: number, requested: number): string {
  return `${who}已推荐${used}个，不能将名额调低到${requested}个（不得少于已推荐的${used}个）`;
}

/**
 * The refusal of a cap change below the places already used (stable code QUOTA_BELOW_USED,
 * with the numbers in the details). Lowering a cap never takes back a recommendation already made.
 */
export function quotaBelowUsedError(who: string, used: number, requested: number, field: string, bucketKey?: string): DomainError {
  return new DomainError("QUOTA_BELOW_USED", belowUsedMessage(who, used, requested), field, { used, requested, ...(bucketKey ? { bucketKey } : {}) });
}

/** The first below-used violation of a validation as a QUOTA_BELOW_USED error; other violations stay BAD_INPUT. */
export function refuseQuotaViolations(v: readonly FieldViolation[], numbers: (field: string) => { used: number; requested: number } | null): void {
  if (!v.length) return;
  const below = v.find((x) => x.rule === "belowUsed");
  const n = below && numbers(below.field);
  if (below && n) throw new DomainError("QUOTA_BELOW_USED", below.message, below.field, n);
  throw badInputOf([...v]);
}

function isCount(n: unknown): n is number {
  return typeof n === "number" && Number.isInteger(n) && n >= 0;
}

/**
 * Checks a city's county sub-quota allocation for a category: non-negative whole numbers, only the
 * city's own counties (when `cityCounties` is given), not below what a county already used, and a
 * sum within the city's cap.
 */
export function validateSubQuotaAllocation(input: {
  cityCap: number;
  allocations: Readonly<Record<string, number>>;
  /** Places each county already used in its sub-quota bucket. */
  usedByCounty?: Readonly<Record<string, number>>;
  cityCounties?: readonly string[];
  countyNames?: Readonly<Record<string, string>>;
}): FieldViolation[] {
  const v: FieldViolation[] = [];
  let sum = 0;
  for (const [county, n] of Object.entries(input.allocations)) {
    const field = `allocations.${county}`;
    const name = input.countyNames?.[county] ?? county;
    if (input.cityCounties && !input.cityCounties.includes(county)) {
      v.push({ field, rule: "county", message: `「${name}」不是本设区市所辖县（市、区），不能分配名额` });
      continue;
    }
    if (!isCount(n)) {
      v.push({ field, rule: "integer", message: `「${name}」的名额须为非负整数，实际为${String(n)}` });
      continue;
    }
    const used = input.usedByCounty?.[county] ?? 0;
    if (n < used) v.push({ field, rule: "belowUsed", message: belowUsedMessage(`「${name}」`, used, n) });
    sum += n;
  }
  if (sum > input.cityCap) {
    v.push({ field: "allocations", rule: "sum", message: `各县（市、区）名额合计${sum}个，超过设区市名额${input.cityCap}个` });
  }
  return v;
}

/** Checks a province override: a whole number not below the base cap nor the places used, with a reason. */
export function validateQuotaOverride(input: { baseCap: number; used: number; cap: number; reason: string }): FieldViolation[] {
  const v: FieldViolation[] = [];
  if (!isCount(input.cap)) v.push({ field: "cap", rule: "integer", message: `名额须为非负整数，实际为${String(input.cap)}` });
  else if (input.cap < input.baseCap) v.push({ field: "cap", rule: "raiseOnly", message: `调整后的名额${input.cap}个不能低于原定名额${input.baseCap}个` });
  else if (input.cap < input.used) v.push({ field: "cap", rule: "belowUsed", message: belowUsedMessage("", input.used, input.cap) });
  if (input.reason.trim() === "") v.push({ field: "reason", rule: "required", message: "请填写调整名额的理由" });
  return v;
}


/**
 * The Chinese description of a counter from its stored key alone (for a counter the configuration
 * no longer has), worded as quotaBucketsFor words it: the key's category code is shown by the
 * category's name, never as the internal code.
 */
export function describeQuotaKey(key: string, categoryName: (code: string) => string | undefined): string {
  const [code = "", level, , ...rest] = key.split("/");
  const name = categoryName(code) ?? "已取消的类别";
  const to = level === "COUNTY" ? "推荐至设区市" : "推荐至省级";
  const suffix = rest.join("/");
  if (suffix === "direct") return `市直属申报${to}的「${name}」名额`;
  if (suffix === "practice-base") return `实践教育基地${to}的「${name}」名额`;
  if (suffix === "sub-quota") return `设区市分配的「${name}」县级名额`;
  if (suffix.startsWith("from/")) return `从所属县（市、区）${to}的「${name}」名额`;
  return `${to}的「${name}」名额`;
}
