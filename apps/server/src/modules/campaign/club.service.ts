import { badInput, DomainError, type FieldViolation } from "@zjh/domain";
import type { Ctx } from "../../common/context.js";
import { checkPage } from "../../common/paging.js";
import type { Sql } from "../../db/data-source.js";
import { requireActing } from "../auth/authorize.js";
import { fileAttachViolations, linkFiles } from "../files/files.service.js";
import { unitWithRegion } from "../org/org.repository.js";
import { notify, roleHolders } from "../notification/notification.service.js";
import { assertCampaignOpen, assertStageOpenFor, requireCampaign } from "./campaign.service.js";
import * as repo from "./club.repository.js";
import type { ClubFormData, ClubRow, ClubScope } from "./club.repository.js";
import { validateDraft, validateForSubmit } from "./domain.js";

export type { ClubFormData, ClubRow } from "./club.repository.js";

const notFound = () => new DomainError("NOT_FOUND", "社团空间登记不存在或不在您的管辖范围内", "id");
const conflict = () => new DomainError("CONFLICT", "登记表已在其他页面修改，请刷新后再操作");

/** Registrations in scope: the unit's own and everything below; drafts only for the registering unit. */
function scopeOf(ctx: Ctx): ClubScope {
  const acting = requireActing(ctx);
  return { pathPattern: acting.unitPath + "%", unitId: acting.unitId };
}

export async function requireVisibleClub(ctx: Ctx, id: string, sql: Sql = ctx.db): Promise<ClubRow> {
  if (!/^\d{1,18}$/.test(String(id))) throw notFound();
  const row = await repo.clubInScope(sql, id, scopeOf(ctx));
  if (!row) throw notFound();
  return row;
}

function requireOwn(ctx: Ctx, row: ClubRow): void {
  if (String(row.unit_id) !== String(requireActing(ctx).unitId)) throw new DomainError("FORBIDDEN", "只有登记单位可以修改此登记表");
}

/** Starts a club-space registration (Annex 2) for the acting school, county or city. */
export async function createClub(ctx: Ctx, campaignId: string): Promise<ClubRow> {
  const acting = requireActing(ctx);
  const c = await requireCampaign(ctx, campaignId);
  assertCampaignOpen(c);
  const r = await unitWithRegion(ctx.db, acting.unitId);
  const unit = r?.unit;
  if (!unit?.city_id) throw new DomainError("FORBIDDEN", "所在单位不属于任何设区市，不能登记");
  const region = unit.county_id ? r!.county : r!.city;
  const form: ClubFormData = { region: region?.name ?? null, unitName: unit.name, members: [], lessons: [] };
  return repo.insertClub(ctx.db, { campaignId, unitId: unit.id, cityId: unit.city_id, countyId: unit.county_id, unitPath: unit.path, form, createdBy: ctx.auth!.userId });
}

/**
 * The stamped scan of a registration: the caller's own upload, or the scan already attached to
 * this very registration (a colleague of the same unit saved it) — never another unit's file.
 */
async function scanViolations(sql: Sql, ctx: Ctx, form: ClubFormData, required: boolean, clubId: string): Promise<FieldViolation[]> {
  if (!form.stampedScanFileId) {
    return required ? [{ field: "stampedScanFileId", rule: "required", message: "请上传「加盖公章的登记表扫描件」" }] : [];
  }
  return fileAttachViolations(sql, ctx, form.stampedScanFileId, { purpose: "STAMPED_SCAN", field: "stampedScanFileId", label: "加盖公章的登记表扫描件" }, { type: "club_registration", id: clubId });
}

/** Saves the registration form; formats and sizes of what is present are checked, a refused save changes nothing. */
export async function saveClub(ctx: Ctx, id: string, input: ClubFormData, version: number): Promise<ClubRow> {
  return ctx.db.tx(async (tx) => {
    const cur = await requireVisibleClub(ctx, id, tx);
    requireOwn(ctx, cur);
    if (cur.state !== "DRAFT") throw new DomainError("INVALID_TRANSITION", "登记表已提交，不能再修改");
    if (cur.version !== version) throw conflict();
    const form: ClubFormData = { ...input, unitName: input.unitName ?? cur.form.unitName };
    const v = [...validateDraft({ kind: "CLUB_REGISTRATION", data: form }), ...(await scanViolations(tx, ctx, form, false, String(cur.id)))];
    if (v.length) throw badInput(v);
    const row = await repo.saveClubForm(tx, cur.id, version, form);
    if (!row) throw conflict();
    if (form.stampedScanFileId) await linkFiles(tx, [form.stampedScanFileId], "club_registration", String(cur.id));
    return row;
  });
}

/** Submits the registration by the CLUB_REGISTRATION deadline; the whole form and the stamped scan are required. */
export async function submitClub(ctx: Ctx, id: string, version: number): Promise<ClubRow> {
  return ctx.db.tx(async (tx) => {
    const cur = await requireVisibleClub(ctx, id, tx);
    requireOwn(ctx, cur);
    if (cur.state !== "DRAFT") throw new DomainError("INVALID_TRANSITION", "登记表已提交");
    if (cur.version !== version) throw conflict();
    const c = await requireCampaign(ctx, cur.campaign_id, tx);
    assertCampaignOpen(c);
    const v = [...validateForSubmit({ kind: "CLUB_REGISTRATION", data: cur.form }), ...(await scanViolations(tx, ctx, cur.form, true, String(cur.id)))];
    if (v.length) throw badInput(v);
    await assertStageOpenFor(tx, c, "CLUB_REGISTRATION", cur.unit_path);
    const row = await repo.submitClub(tx, cur.id, version);
    if (!row) throw conflict();
    // The city's reviewers follow the registrations of their region.
    await notify(tx, (await roleHolders(tx, "CITY_REVIEWER", String(cur.city_id))).filter((u) => u !== String(ctx.auth!.userId)), {
      kind: "CLUB_REGISTERED",
      title: "新的社团空间登记",
      body: `${cur.form.unitName ?? ""}提交了社团空间建设登记表${cur.form.theme ? `「${cur.form.theme}」` : ""}`,
      campaignId: cur.campaign_id,
    });
    return row;
  });
}

export async function clubWhere(ctx: Ctx, campaignId: string) {
  await requireCampaign(ctx, campaignId);
  return repo.clubListWhere(campaignId, scopeOf(ctx));
}

export async function listClubs(ctx: Ctx, campaignId: string, page: { offset: number; limit: number }) {
  const { offset, limit } = checkPage(page);
  return repo.listClubs(ctx.db, await clubWhere(ctx, campaignId), offset, limit);
}
