import { badInput, DomainError, type FieldViolation } from "@zjh/domain";
import type { Ctx } from "../../common/context.js";
import { checkPage } from "../../common/paging.js";
import type { Sql } from "../../db/data-source.js";
import { requireActing } from "../auth/authorize.js";
import { fileAttachViolations, linkFiles } from "../files/files.service.js";
import { unitWithRegion } from "../org/org.repository.js";
import { notify, roleHolders } from "../notification/notification.service.js";
import { assertCampaignOpen, assertStageOpenFor, requireCampaign } from "./campaign.service.js";
import { validateDraft, validateForSubmit, type ClubRegistrationForm } from "./domain.js";

/** Annex 2 plus the stamped scan of the registering unit. */
export interface ClubFormData extends ClubRegistrationForm {
  stampedScanFileId?: string | null;
}

export interface ClubRow {
  id: string;
  campaign_id: string;
  unit_id: string;
  city_id: string;
  county_id: string | null;
  unit_path: string;
  form: ClubFormData;
  state: "DRAFT" | "SUBMITTED";
  version: number;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  submitted_at: Date | null;
}

const COLUMNS = `r.id, r.campaign_id, r.unit_id, r.city_id, r.county_id, r.unit_path, r.form, r.state, r.version, r.created_by, r.created_at, r.updated_at, r.submitted_at`;

const notFound = () => new DomainError("NOT_FOUND", "社团空间登记不存在或不在您的管辖范围内", "id");
const conflict = () => new DomainError("CONFLICT", "登记表已在其他页面修改，请刷新后再操作");

/** Registrations in scope: the unit's own and everything below; drafts only for the registering unit. */
function scopeWhere(ctx: Ctx, params: unknown[]): string {
  const acting = requireActing(ctx);
  params.push(acting.unitPath + "%", acting.unitId);
  return `(r.unit_path LIKE $${params.length - 1} AND (r.state <> 'DRAFT' OR r.unit_id = $${params.length}))`;
}

export async function requireVisibleClub(ctx: Ctx, id: string, sql: Sql = ctx.db): Promise<ClubRow> {
  if (!/^\d{1,18}$/.test(String(id))) throw notFound();
  const params: unknown[] = [id];
  const where = scopeWhere(ctx, params);
  const row = await sql.one<ClubRow>(`SELECT ${COLUMNS} FROM club_registration r WHERE r.id = $1 AND ${where}`, params);
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
  return (await ctx.db.one<ClubRow>(
    `INSERT INTO club_registration AS r (campaign_id, unit_id, city_id, county_id, unit_path, form, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
    [campaignId, unit.id, unit.city_id, unit.county_id, unit.path, JSON.stringify(form), ctx.auth!.userId],
  ))!;
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
    const row = await tx.one<ClubRow>(
      `UPDATE club_registration r SET form = $3, version = r.version + 1, updated_at = now() WHERE r.id = $1 AND r.version = $2 RETURNING ${COLUMNS}`,
      [cur.id, version, JSON.stringify(form)],
    );
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
    const row = await tx.one<ClubRow>(
      `UPDATE club_registration r SET state = 'SUBMITTED', version = r.version + 1, submitted_at = now(), updated_at = now()
        WHERE r.id = $1 AND r.version = $2 RETURNING ${COLUMNS}`,
      [cur.id, version],
    );
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
  const params: unknown[] = [campaignId];
  return { where: `r.campaign_id = $1 AND ${scopeWhere(ctx, params)}`, params };
}

export async function listClubs(ctx: Ctx, campaignId: string, page: { offset: number; limit: number }) {
  const { offset, limit } = checkPage(page);
  const { where, params } = await clubWhere(ctx, campaignId);
  const items = await ctx.db.rows<ClubRow>(`SELECT ${COLUMNS} FROM club_registration r WHERE ${where} ORDER BY r.unit_path, r.id OFFSET ${offset} LIMIT ${limit}`, params);
  const count = await ctx.db.one<{ n: number }>(`SELECT count(*)::int AS n FROM club_registration r WHERE ${where}`, params);
  return { items, total: count?.n ?? 0 };
}
