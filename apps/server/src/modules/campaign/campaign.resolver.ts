import { Arg, Ctx as GqlCtx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { Ctx } from "../../common/context.js";
import { requireActing } from "../auth/authorize.js";
import { unitById } from "../org/org.service.js";
import { OrgUnit } from "../org/org.types.js";
import { StageCodeEnum, type CampaignStatus } from "./campaign.enums.js";
import * as campaigns from "./campaign.service.js";
import {
  AwardCategory, Campaign, CampaignInput, CampaignWarning, StageDateInput, CategoryEligibility, CampaignStage, DeadlineExtension, QuotaBucketView, SubQuotaInput, UnitDeadline,
} from "./campaign.types.js";
import { deadlineClosesAt, type Campaign as CampaignConfig, type StageCode } from "./domain.js";
import * as quotas from "./quota.service.js";
import { categoryEligibility as eligibilityOf } from "../application/application.service.js";
import { pathKeys } from "../org/org.repository.js";

/** The campaign as the acting role sees it: deadlines and open stages are those of its own unit. */
export async function toCampaign(ctx: Ctx, c: campaigns.LoadedCampaign): Promise<Campaign> {
  const keys = ctx.auth?.acting ? await pathKeys(ctx.db, ctx.auth.acting.unitPath) : [];
  const now = Date.now();
  const stages: CampaignStage[] = c.config.stages.map((s) => {
    const effective = campaigns.deadlineFor(c, s.stage, keys);
    const unitDeadlines: UnitDeadline[] = [];
    for (const list of c.unitDeadlineIds.values()) {
      for (const d of list) if (d.stage === s.stage) unitDeadlines.push(Object.assign(new UnitDeadline(), { unitId: d.unitId, deadline: d.deadline }));
    }
    return Object.assign(new CampaignStage(), {
      stage: s.stage,
      name: s.name,
      deadline: s.deadline,
      effectiveDeadline: effective,
      open: effective === null || now < deadlineClosesAt(effective).getTime(),
      unitDeadlines,
    });
  });
  return Object.assign(new Campaign(), {
    id: String(c.row.id),
    year: c.row.year,
    title: c.row.title,
    docNo: c.row.doc_no,
    issuer: c.row.issuer,
    issuedOn: c.row.issued_on,
    status: c.row.status,
    levels: c.config.pipeline.levels,
    stages,
    categories: c.config.categories.map((k) => Object.assign(new AwardCategory(), k)),
    caseMinChars: c.config.forms.caseMinChars,
    caseMaxChars: c.config.forms.caseMaxChars,
    spaceUrlHosts: c.config.forms.spaceUrlHosts,
    finalization: c.config.finalization,
    extensions: c.extensions.map((e) => Object.assign(new DeadlineExtension(), { id: e.id, stage: e.stage, unitId: e.unitId, until: e.until, reason: e.reason ?? "", createdAt: e.createdAt })),
    createdAt: c.row.created_at,
    updatedAt: c.row.updated_at,
  });
}

/** The domain configuration from the GraphQL input. */
function configOf(i: CampaignInput): CampaignConfig {
  return {
    year: i.year,
    title: i.title,
    docNo: i.docNo,
    issuer: i.issuer,
    issuedOn: i.issuedOn ?? "",
    stages: i.stages.map((s) => ({ stage: s.stage, name: s.name, deadline: s.deadline ?? null })),
    pipeline: { levels: i.levels },
    categories: i.categories.map((k) => ({
      code: k.code,
      name: k.name,
      applicantKind: k.applicantKind,
      criteria: k.criteria as CampaignConfig["categories"][number]["criteria"],
      quota: k.quota as CampaignConfig["categories"][number]["quota"],
      rubric: k.rubric as CampaignConfig["categories"][number]["rubric"],
    })),
    forms: { caseMinChars: i.caseMinChars, caseMaxChars: i.caseMaxChars, spaceUrlHosts: i.spaceUrlHosts },
    finalization: i.finalization as CampaignConfig["finalization"],
  };
}

async function view(ctx: Ctx, id: string): Promise<Campaign> {
  return toCampaign(ctx, await campaigns.requireCampaign(ctx, id));
}

@Resolver(() => Campaign)
export class CampaignResolver {
  @FieldResolver(() => [CategoryEligibility], {
    description: "For the acting role: each category, whether it may start an application there now and, if not, why (the new-application dialog)",
  })
  async categoryEligibility(@Root() c: Campaign, @GqlCtx() ctx: Ctx) {
    const loaded = await campaigns.loadCampaign(ctx.db, c.id);
    return loaded ? (await eligibilityOf(ctx, loaded)).map((e) => Object.assign(new CategoryEligibility(), e)) : [];
  }

  @Query(() => [Campaign], { description: "Campaigns, newest first (drafts only for province admins)" })
  async campaigns(@GqlCtx() ctx: Ctx) {
    const rows = await campaigns.listCampaigns(ctx);
    const out: Campaign[] = [];
    for (const r of rows) out.push(await toCampaign(ctx, (await campaigns.loadCampaign(ctx.db, r.id))!));
    return out;
  }

  @Query(() => Campaign)
  campaign(@Arg("id", () => ID) id: string, @GqlCtx() ctx: Ctx) {
    return view(ctx, id);
  }

  @Mutation(() => Campaign, { description: "Create a campaign (as a draft) from a whole configuration" })
  async createCampaign(@Arg("input", () => CampaignInput) input: CampaignInput, @GqlCtx() ctx: Ctx) {
    requireActing(ctx);
    return view(ctx, await campaigns.createCampaign(ctx, configOf(input)));
  }

  @Mutation(() => Campaign, { description: "Replace a campaign's configuration; quotas cannot drop below places used" })
  async updateCampaign(@Arg("id", () => ID) id: string, @Arg("input", () => CampaignInput) input: CampaignInput, @GqlCtx() ctx: Ctx) {
    await campaigns.updateCampaign(ctx, id, configOf(input), (tx, cid) => quotas.syncCaps(tx, cid, campaigns.loadCampaign));
    return view(ctx, id);
  }

  @Mutation(() => Campaign, {
    description:
      "A new draft campaign with another's configuration, stage dates and issue date moved to the new year (default: this year, or the next once this year's moved dates have passed)",
  })
  async copyCampaign(
    @Arg("sourceId", () => ID) sourceId: string,
    @Arg("year", () => Int, { nullable: true }) year: number | null,
    @Arg("title") title: string,
    @Arg("docNo", { defaultValue: "" }) docNo: string,
    @Arg("issuedOn", () => String, { nullable: true }) issuedOn: string | null,
    @GqlCtx() ctx: Ctx,
  ) {
    return view(ctx, await campaigns.copyCampaign(ctx, sourceId, { year, title, docNo, issuedOn }));
  }

  @Query(() => [CampaignWarning], { description: "Before opening: passed stage dates, units without a reviewer, other open campaigns (province)" })
  async campaignOpeningWarnings(@Arg("id", () => ID) id: string, @GqlCtx() ctx: Ctx) {
    return (await campaigns.campaignOpeningWarnings(ctx, id)).map((w) => Object.assign(new CampaignWarning(), w));
  }

  @Mutation(() => Campaign, { description: "Set the stage dates alone (every stage once; the review chain's order is kept; audited)" })
  async updateCampaignStages(@Arg("id", () => ID) id: string, @Arg("stages", () => [StageDateInput]) stages: StageDateInput[], @GqlCtx() ctx: Ctx) {
    await campaigns.updateCampaignStages(ctx, id, stages.map((s) => ({ stage: s.stage, deadline: s.deadline ?? null })));
    return view(ctx, id);
  }

  @Mutation(() => Campaign, { description: "Publish a draft campaign" })
  async openCampaign(@Arg("id", () => ID) id: string, @GqlCtx() ctx: Ctx) {
    await campaigns.setCampaignStatus(ctx, id, "OPEN" satisfies CampaignStatus);
    return view(ctx, id);
  }

  @Mutation(() => Campaign, { description: "Close (archive) a campaign: no more actions" })
  async closeCampaign(@Arg("id", () => ID) id: string, @GqlCtx() ctx: Ctx) {
    await campaigns.setCampaignStatus(ctx, id, "CLOSED");
    return view(ctx, id);
  }

  @Mutation(() => DeadlineExtension, { description: "Extend a stage deadline for everyone or one unit subtree (province; audited)" })
  async extendDeadline(
    @Arg("campaignId", () => ID) campaignId: string,
    @Arg("stage", () => StageCodeEnum) stage: StageCode,
    @Arg("until", { description: "New last day, YYYY-MM-DD" }) until: string,
    @Arg("reason") reason: string,
    @Arg("unitId", () => ID, { nullable: true }) unitId: string | null,
    @GqlCtx() ctx: Ctx,
  ) {
    const e = await campaigns.extendDeadline(ctx, { campaignId, stage, unitId: unitId ?? null, until, reason });
    return Object.assign(new DeadlineExtension(), { id: e.id, stage: e.stage, unitId: e.unitId, until: e.until, reason: e.reason ?? "", createdAt: e.createdAt });
  }

  @Mutation(() => Campaign, { description: "A city's own deadline for applications, school or county review (city or one of its counties); null removes it" })
  async setUnitDeadline(
    @Arg("campaignId", () => ID) campaignId: string,
    @Arg("stage", () => StageCodeEnum) stage: StageCode,
    @Arg("unitId", () => ID) unitId: string,
    @Arg("deadline", () => String, { nullable: true }) deadline: string | null,
    @GqlCtx() ctx: Ctx,
  ) {
    await campaigns.setUnitDeadline(ctx, { campaignId, stage, unitId, deadline: deadline ?? null });
    return view(ctx, campaignId);
  }

  @Query(() => [QuotaBucketView], { description: "Quota counters concerning a unit (default: the acting role's unit)" })
  quotas(
    @Arg("campaignId", () => ID) campaignId: string,
    @Arg("unitId", () => ID, { nullable: true }) unitId: string | null,
    @Arg("categoryCode", () => String, { nullable: true }) categoryCode: string | null,
    @GqlCtx() ctx: Ctx,
  ) {
    return quotas.quotaOverview(ctx, campaignId, unitId ?? null, categoryCode ?? null);
  }

  @Mutation(() => [QuotaBucketView], { description: "A city splits a category's places into county sub-quotas (replaces its allocation)" })
  async setCountySubQuotas(
    @Arg("campaignId", () => ID) campaignId: string,
    @Arg("categoryCode") categoryCode: string,
    @Arg("allocations", () => [SubQuotaInput]) allocations: SubQuotaInput[],
    @GqlCtx() ctx: Ctx,
  ) {
    await quotas.setCountySubQuotas(ctx, campaignId, categoryCode, allocations.map((a) => ({ countyId: a.countyId, places: a.places })));
    return quotas.quotaOverview(ctx, campaignId, null, categoryCode);
  }

  @Mutation(() => QuotaBucketView, { description: "Raise one quota for a unit (province; reason required; audited)" })
  overrideQuota(
    @Arg("campaignId", () => ID) campaignId: string,
    @Arg("bucketKey") bucketKey: string,
    @Arg("cap", () => Int) cap: number,
    @Arg("reason") reason: string,
    @GqlCtx() ctx: Ctx,
  ) {
    return quotas.overrideQuota(ctx, campaignId, bucketKey, cap, reason);
  }
}

@Resolver(() => UnitDeadline)
export class UnitDeadlineResolver {
  @FieldResolver(() => OrgUnit, { nullable: true })
  unit(@Root() d: UnitDeadline, @GqlCtx() ctx: Ctx) {
    return unitById(ctx, d.unitId);
  }
}

@Resolver(() => DeadlineExtension)
export class DeadlineExtensionResolver {
  @FieldResolver(() => OrgUnit, { nullable: true })
  unit(@Root() e: DeadlineExtension, @GqlCtx() ctx: Ctx) {
    return e.unitId ? unitById(ctx, e.unitId) : null;
  }
}
