import { badInput, describeQuotaKey, DomainError } from "@zjh/domain";
import type { Ctx } from "../../common/context.js";
import type { Sql, Tx } from "../../db/data-source.js";
import { audit } from "../audit/audit.service.js";
import { requireActing, requireUnitInScope } from "../auth/authorize.js";
import { assertCampaignOpen, requireCampaign, type LoadedCampaign } from "./campaign.service.js";
import {
  findCategory, placesFreedBy, quotaBelowUsedError, quotaBucketsFor, quotaExceededError, refuseQuotaViolations, validateQuotaOverride, validateSubQuotaAllocation,
  type ApplicationOrigin, type HistoryEntryFields, type QuotaBucket, type QuotaContext, type QuotaPlace, type ReviewLevel,
} from "./domain.js";
import { cityIdsUnder, cityTrees, countiesOf, findUnit, unitsByKey } from "../org/org.repository.js";
import { unitKey } from "./unit-key.util.js";
import * as repo from "./quota.repository.js";

/** County sub-quotas and province overrides of a campaign, as the domain rules take them. */
export async function quotaContext(sql: Sql, campaignId: string, categoryCode: string): Promise<QuotaContext> {
  const alloc = await repo.subQuotaAllocations(sql, campaignId, categoryCode);
  const overrides = await repo.overridesOfCategory(sql, campaignId, categoryCode);
  return {
    subQuotas: Object.fromEntries(alloc.map((a) => [unitKey(a), a.places])),
    overrides: overrides.map((o) => ({ bucketKey: o.bucket_key, cap: o.cap, reason: o.reason })),
  };
}

/** The unit a bucket counts for: the county for county buckets, else the city. */
function bucketUnitId(b: QuotaBucket, app: { city_id: string; county_id: string | null }): string {
  return b.scope === "COUNTY" || b.scope === "SUB_QUOTA" ? app.county_id! : app.city_id;
}

/**
 * A campaign's caps and their uses serialize. Every step that uses or gives back a place
 * (recommend, return, withdrawn recommendation) takes the campaign's quota lock shared, before it
 * reads the configuration or touches a counter; every step that changes a cap (a city's sub-quota
 * allocation, a province override, a configuration change) takes it exclusively, as its first
 * lock. Uses run side by side (the conditional UPDATE on each bucket row, in key order, keeps
 * them within the cap), but never while a cap changes, so a cap change sees every place used and
 * no use reads a cap that is being changed.
 */
export async function lockQuotas(sql: Sql, campaignId: string, mode: "shared" | "exclusive"): Promise<void> {
  await repo.lockCampaignQuotas(sql, campaignId, mode);
}

/**
 * Sets a bucket's cap (creating its counter when needed): locks the counter row, and refuses
 * (QUOTA_BELOW_USED, naming the used and requested numbers) a cap below the places it holds.
 */
async function setBucketCap(tx: Sql, campaignId: string, b: QuotaBucket, unitId: string, field: string): Promise<number> {
  await repo.createBucketRow(tx, campaignId, b, unitId);
  const cur = (await repo.lockBucketUsedWithUnitName(tx, campaignId, b.key))!;
  if (cur.used > b.cap) throw quotaBelowUsedError(`${cur.name}${b.description}`, cur.used, b.cap, field, b.key);
  await repo.setBucketCapIfChanged(tx, campaignId, b.key, b.baseCap, b.cap);
  return cur.used;
}

/**
 * Takes one place in every bucket a recommendation at `level` consumes, each with one atomic
 * `UPDATE … SET used = used + 1 WHERE used < cap`; the first full bucket refuses the whole
 * recommendation (the caller's transaction rolls back the places already taken).
 */
export async function takePlaces(
  tx: Tx,
  c: LoadedCampaign,
  app: { id: string; category_code: string; city_id: string; county_id: string | null; revision: number },
  origin: ApplicationOrigin,
  level: ReviewLevel,
  actionId: string,
): Promise<void> {
  const campaignId = c.row.id;
  await lockQuotas(tx, campaignId, "shared");
  const buckets = quotaBucketsFor(c.config, app.category_code, level, origin, await quotaContext(tx, campaignId, app.category_code));
  // A fixed order, so two transactions never wait for each other's buckets crosswise.
  buckets.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const b of buckets) {
    const unitId = bucketUnitId(b, app);
    await repo.createBucketRow(tx, campaignId, b, unitId);
    if (!(await repo.takePlace(tx, campaignId, b.key))) {
      const cur = await repo.bucketUsageWithUnitName(tx, campaignId, b.key);
      throw quotaExceededError({ ...b, cap: cur?.cap ?? b.cap }, cur?.used ?? 0, cur?.name);
    }
    await repo.insertTakenPlace(tx, { campaignId, bucketKey: b.key, applicationId: app.id, level, revision: app.revision, actionId });
  }
}

/** Gives back the places a return or a withdrawn recommendation frees (placesFreedBy), in the same transaction. */
export async function releasePlaces(tx: Tx, campaignId: string, appId: string, entry: Pick<HistoryEntryFields, "action" | "level" | "revision">, actionId: string): Promise<number> {
  const rows = await repo.placesOfApplication(tx, appId);
  const places: (QuotaPlace & { id: string })[] = rows.map((r) => ({ id: String(r.id), bucketKey: r.bucket_key, level: r.level, revision: r.revision, released: r.released }));
  const freed = placesFreedBy(entry, places) as (QuotaPlace & { id: string })[];
  if (freed.length) await lockQuotas(tx, campaignId, "shared");
  for (const p of freed) {
    await repo.giveBackPlace(tx, campaignId, p.bucketKey);
    await repo.markPlaceReleased(tx, p.id, actionId);
  }
  return freed.length;
}

export interface BucketView extends QuotaBucket {
  used: number;
  remaining: number;
  unitId: string;
  unitName: string;
  unitCode: string | null;
  /** The county of origin of a FROM_COUNTY bucket, or the county of a county bucket. */
  countyId: string | null;
  countyName: string | null;
}

/**
 * Every bucket of a campaign that concerns a unit: for a city, its places toward the province
 * (overall, per county of origin, direct, practice bases) and its counties' places toward the
 * city; for a county, its own; for the province, every city's. Caps come from the configuration,
 * sub-quotas and overrides; `used` from the counters.
 */
export async function quotaOverview(ctx: Ctx, campaignId: string, unitId: string | null, categoryCode: string | null): Promise<BucketView[]> {
  const acting = requireActing(ctx);
  const c = await requireCampaign(ctx, campaignId);
  const unit = await requireUnitInScope(ctx, unitId ?? acting.unitId);
  let cityIds: string[];
  let onlyCounty: string | null = null;
  if (unit.kind === "PROVINCE") {
    cityIds = await cityIdsUnder(ctx.db, unit.path);
  } else if (unit.kind === "CITY") cityIds = [String(unit.id)];
  else if (unit.kind === "COUNTY") {
    cityIds = [String(unit.city_id)];
    onlyCounty = String(unit.id);
  } else throw new DomainError("NOT_FOUND", "该单位没有推荐名额", "unitId");

  const categories = c.config.categories.filter((k) => !categoryCode || k.code === categoryCode);
  if (categoryCode && !categories.length) findCategory(c.config, categoryCode);
  const trees = await cityTrees(ctx.db, cityIds);
  const used = new Map(
    (await repo.usedOfCampaign(ctx.db, campaignId)).map((r) => [r.bucket_key, r.used]),
  );
  const out: BucketView[] = [];
  const seen = new Set<string>();
  for (const cat of categories) {
    const qctx = await quotaContext(ctx.db, campaignId, cat.code);
    for (const t of trees) {
      const cityCode = unitKey(t.city);
      const push = (level: ReviewLevel, origin: ApplicationOrigin, county: { id: string; name: string } | null) => {
        for (const b of quotaBucketsFor(c.config, cat.code, level, origin, qctx)) {
          if (seen.has(b.key)) continue;
          const forCounty = b.scope === "COUNTY" || b.scope === "SUB_QUOTA" || b.scope === "FROM_COUNTY";
          if (onlyCounty && !(forCounty && county?.id === onlyCounty)) continue;
          seen.add(b.key);
          const n = used.get(b.key) ?? 0;
          const countyUnit = b.scope === "COUNTY" || b.scope === "SUB_QUOTA";
          out.push({
            ...b,
            used: n,
            remaining: Math.max(0, b.cap - n),
            unitId: countyUnit ? county!.id : t.city.id,
            unitName: countyUnit ? county!.name : t.city.name,
            unitCode: countyUnit ? (t.counties.find((x) => x.id === county!.id)?.code ?? null) : t.city.code,
            countyId: forCounty ? county!.id : null,
            countyName: forCounty ? county!.name : null,
          });
        }
      };
      const base = { applicantKind: cat.applicantKind, cityCode, schoolKey: null, practiceBaseKey: null } as const;
      push("CITY", { ...base, countyCode: null }, null);
      // Practice-base places exist per city whether or not a base is registered yet.
      push("CITY", { ...base, countyCode: null, practiceBaseKey: "practice-base" }, null);
      for (const county of t.counties) {
        push("CITY", { ...base, countyCode: unitKey(county) }, county);
        push("COUNTY", { ...base, countyCode: unitKey(county) }, county);
      }
    }
  }
  return out;
}

/**
 * A city splits its places of a category into county sub-quotas (they cap county → city
 * recommendations; their sum never exceeds the city's cap). Replaces the city's whole allocation
 * for the category. Recommendations a county already made count against its new sub-quota.
 */
export async function setCountySubQuotas(ctx: Ctx, campaignId: string, categoryCode: string, allocations: { countyId: string; places: number }[]): Promise<void> {
  const acting = requireActing(ctx);
  await ctx.db.tx(async (tx) => {
    await requireCampaign(ctx, campaignId, tx);
    await lockQuotas(tx, campaignId, "exclusive");
    // Read again under the lock: the configuration a concurrent change committed counts.
    const c = await requireCampaign(ctx, campaignId, tx);
    assertCampaignOpen(c);
    const cat = findCategory(c.config, categoryCode);
    if (!cat.quota.countySubQuotas) {
      throw badInput([{ field: "categoryCode", rule: "subQuotas", message: `「${cat.name}」不设县级分配名额` }]);
    }
    const city = await requireUnitInScope(ctx, acting.unitId, tx);
    if (city.kind !== "CITY") throw new DomainError("FORBIDDEN", "只有设区市可以分配县级名额");
    const counties = await countiesOf(tx, String(city.id));
    const byId = new Map(counties.map((k) => [String(k.id), k]));
    const seen = new Set<string>();
    for (const [i, a] of allocations.entries()) {
      if (!byId.has(String(a.countyId))) {
        throw badInput([{ field: `allocations[${i}].countyId`, rule: "county", message: "所选单位不是本设区市所辖县（市、区）" }]);
      }
      if (seen.has(String(a.countyId))) throw badInput([{ field: `allocations[${i}].countyId`, rule: "unique", message: `「${byId.get(String(a.countyId))!.name}」重复分配` }]);
      seen.add(String(a.countyId));
    }
    const qctx = await quotaContext(tx, campaignId, categoryCode);
    const cityBucket = quotaBucketsFor(c.config, categoryCode, "CITY", { applicantKind: cat.applicantKind, cityCode: unitKey(city), countyCode: null, schoolKey: null, practiceBaseKey: null }, qctx)
      .find((b) => b.scope === "CITY");
    const standing = await repo.standingCountyRecommendations(tx, campaignId, categoryCode, String(city.id));
    const usedByCounty: Record<string, number> = {};
    for (const s of standing) {
      const k = unitKey(byId.get(String(s.county_id))!);
      usedByCounty[k] = (usedByCounty[k] ?? 0) + 1;
    }
    const keyed = Object.fromEntries(allocations.map((a) => [unitKey(byId.get(String(a.countyId))!), a.places]));
    const v = validateSubQuotaAllocation({
      cityCap: cityBucket?.cap ?? 0,
      allocations: keyed,
      usedByCounty,
      cityCounties: counties.map(unitKey),
      countyNames: Object.fromEntries(counties.map((k) => [unitKey(k), k.name])),
    });
    refuseQuotaViolations(v, (field) => {
      const k = field.replace(/^allocations\./, "");
      return k in keyed ? { used: usedByCounty[k] ?? 0, requested: keyed[k]! } : null;
    });

    await repo.deleteSubQuotaAllocations(tx, campaignId, categoryCode, counties.map((k) => k.id));
    for (const a of allocations) {
      await repo.insertSubQuotaAllocation(tx, campaignId, categoryCode, a.countyId, a.places, ctx.auth!.userId);
    }
    // Sub-quota counters start from the recommendations already standing, with their places
    // recorded, so a later withdrawal or return gives them back exactly.
    const after = await quotaContext(tx, campaignId, categoryCode);
    for (const a of allocations) {
      const county = byId.get(String(a.countyId))!;
      const origin: ApplicationOrigin = { applicantKind: cat.applicantKind, cityCode: unitKey(city), countyCode: unitKey(county), schoolKey: null, practiceBaseKey: null };
      const sub = quotaBucketsFor(c.config, categoryCode, "COUNTY", origin, after).find((b) => b.scope === "SUB_QUOTA");
      if (!sub) continue;
      await repo.createBucketRow(tx, campaignId, sub, county.id);
      await repo.lockBucketRow(tx, campaignId, sub.key);
      const mine = standing.filter((s) => String(s.county_id) === String(county.id));
      for (const s of mine) {
        if (await repo.holdsPlace(tx, s.application_id, sub.key)) continue;
        await repo.insertCountyPlace(tx, campaignId, sub.key, s.application_id, s.revision);
      }
      const held = await repo.heldPlacesOfBucket(tx, campaignId, sub.key);
      if (held > a.places) throw quotaBelowUsedError(`「${county.name}」`, held, a.places, `allocations.${unitKey(county)}`, sub.key);
      await repo.setSubQuotaCounter(tx, campaignId, sub.key, a.places, held);
    }
    await audit(tx, ctx, { action: "QUOTA_ALLOCATE", targetType: "campaign", targetId: campaignId, data: { categoryCode, cityId: city.id, allocations: keyed } });
  });
}

/** Rebuilds the bucket behind a key (`<category>/<level>/<unit>[/…]`), or null for a key that is no bucket. */
export async function bucketOfKey(sql: Sql, c: LoadedCampaign, key: string): Promise<{ bucket: QuotaBucket; unitId: string } | null> {
  const parts = key.split("/");
  const [code, level, unit, ...rest] = parts;
  if (!code || !unit || (level !== "COUNTY" && level !== "CITY")) return null;
  const cat = c.config.categories.find((k) => k.code === code);
  if (!cat) return null;
  const keys = [unit, ...(rest[0] === "from" && rest[1] ? [rest[1]] : [])];
  const units = await unitsByKey(sql, keys);
  const u = units.get(unit);
  if (!u) return null;
  let origin: ApplicationOrigin;
  if (level === "COUNTY") {
    if (u.kind !== "COUNTY") return null;
    const city = u.city_id ? await findUnit(sql, u.city_id) : undefined;
    origin = { applicantKind: "TEACHER", cityCode: unitKey(city!), countyCode: unit, schoolKey: null, practiceBaseKey: null };
  } else {
    if (u.kind !== "CITY") return null;
    const from = rest[0] === "from" ? units.get(rest[1] ?? "") : undefined;
    if (rest[0] === "from" && (!from || from.kind !== "COUNTY" || String(from.city_id) !== String(u.id))) return null;
    origin = {
      applicantKind: cat.applicantKind,
      cityCode: unit,
      countyCode: from ? unitKey(from) : null,
      schoolKey: null,
      practiceBaseKey: rest[0] === "practice-base" ? "practice-base" : null,
    };
  }
  const b = quotaBucketsFor(c.config, code, level, origin, await quotaContext(sql, c.row.id, code)).find((x) => x.key === key);
  if (!b) return null;
  return { bucket: b, unitId: String(u.id) };
}

/**
 * A province admin raises one bucket's cap ("in principle" quotas), with a reason; audited. The
 * cap can later be set back down, never below the campaign's own number nor the places used.
 */
export async function overrideQuota(ctx: Ctx, campaignId: string, bucketKey: string, cap: number, reason: string): Promise<BucketView> {
  return ctx.db.tx(async (tx) => {
    await requireCampaign(ctx, campaignId, tx);
    await lockQuotas(tx, campaignId, "exclusive");
    const c = await requireCampaign(ctx, campaignId, tx);
    const found = await bucketOfKey(tx, c, bucketKey);
    if (!found) throw new DomainError("NOT_FOUND", "没有这个名额", "bucketKey");
    const { bucket, unitId } = found;
    const usage = await repo.lockBucketUsed(tx, campaignId, bucketKey);
    const used = usage?.used ?? 0;
    const v = validateQuotaOverride({ baseCap: bucket.baseCap, used, cap, reason });
    refuseQuotaViolations(v, () => ({ used, requested: cap }));
    await repo.insertOverride(tx, campaignId, bucketKey, cap, reason.trim(), ctx.auth!.userId);
    const next = { ...bucket, cap };
    await setBucketCap(tx, campaignId, next, unitId, "cap");
    await audit(tx, ctx, { action: "QUOTA_OVERRIDE", targetType: "campaign", targetId: campaignId, reason: reason.trim(), data: { bucketKey, from: bucket.cap, to: cap } });
    const unit = await findUnit(tx, unitId);
    return { ...next, used, remaining: Math.max(0, cap - used), unitId, unitName: unit!.name, unitCode: unit!.code, countyId: null, countyName: null };
  });
}

/**
 * After a configuration change: every existing counter's cap follows the new configuration, and
 * a change that would put a cap below the places already used is refused.
 */
export async function syncCaps(tx: Tx, campaignId: string, load: (sql: Sql, id: string) => Promise<LoadedCampaign | null>): Promise<void> {
  await lockQuotas(tx, campaignId, "exclusive");
  const c = (await load(tx, campaignId))!;
  const rows = await repo.lockCampaignBuckets(tx, campaignId);
  for (const r of rows) {
    const found = await bucketOfKey(tx, c, r.bucket_key);
    if (!found) {
      if (r.used > 0) {
        const what = describeQuotaKey(r.bucket_key, (code) => c.config.categories.find((k) => k.code === code)?.name);
        throw badInput([{ field: "categories", rule: "inUse", message: `${r.name}${what}已使用${r.used}个，不能取消` }]);
      }
      continue;
    }
    if (found.bucket.cap < r.used) throw quotaBelowUsedError(`${r.name}${found.bucket.description}`, r.used, found.bucket.cap, "categories", r.bucket_key);
    await repo.setBucketCap(tx, campaignId, r.bucket_key, found.bucket.baseCap, found.bucket.cap);
  }
}
