import { badInput, DomainError } from "@zjh/domain";
import type { Ctx } from "../../common/context.js";
import { checkPage } from "../../common/paging.js";
import type { Sql } from "../../db/data-source.js";
import { audit } from "../audit/audit.service.js";
import { requireActing, requireUnitInScope } from "../auth/authorize.js";
import { fileAttachViolations, linkFiles } from "../files/files.service.js";
import { notify } from "../notification/notification.service.js";
import { findUnit } from "../org/org.repository.js";
import { findAccount } from "../users/user.repository.js";
import { requireMayChange } from "../users/users.service.js";
import { assertCampaignOpen, assertStageOpenFor, requireCampaign } from "./campaign.service.js";
import * as repo from "./contact.repository.js";
import type { ContactRow, ContactState } from "./contact.repository.js";
import { CONTACT_KIND_LABELS, contactGrantedRole, contactUnitViolations, validateForSubmit, type ContactKind, type RegionalContactForm } from "./domain.js";

export type { ContactRow, ContactState } from "./contact.repository.js";

const notFound = () => new DomainError("NOT_FOUND", "联系人信息不存在或不在您的管辖范围内", "id");

export const kindOf = (form: RegionalContactForm): ContactKind => form.kind ?? "REGION";

/** Contacts are scoped by the unit they represent: a city sees its own and its counties', the province all. */
export async function requireVisibleContact(ctx: Ctx, id: string, sql: Sql = ctx.db): Promise<ContactRow> {
  const acting = requireActing(ctx);
  if (!/^\d{1,18}$/.test(String(id))) throw notFound();
  const row = await repo.contactInScope(sql, id, acting.unitPath + "%");
  if (!row) throw notFound();
  return row;
}

export interface ContactInput extends RegionalContactForm {
  unitId: string;
}

/**
 * Files one contact of Annex 1 (or corrects one not yet approved): for the acting city or one of
 * its counties — or any, for the province, entering a city's paper form. Every field is checked
 * (phones, account format), the account must exist, the stamped scan must be an uploaded scan
 * of the caller's; the CONTACTS stage deadline applies.
 */
export async function saveContact(ctx: Ctx, campaignId: string, id: string | null, input: ContactInput, version: number | null): Promise<ContactRow> {
  return ctx.db.tx(async (tx) => {
    const c = await requireCampaign(ctx, campaignId, tx);
    assertCampaignOpen(c);
    const unit = await requireUnitInScope(ctx, input.unitId, tx);
    const kind: ContactKind = input.kind ?? "REGION";
    const wrongUnit = contactUnitViolations(kind, unit.kind);
    if (wrongUnit.length) throw badInput(wrongUnit);
    const city = unit.city_id ? await findUnit(tx, unit.city_id) : undefined;
    const form: RegionalContactForm = {
      kind,
      contactName: input.contactName ?? null,
      cityCode: city?.code ?? null,
      unitName: input.unitName ?? null,
      jobTitle: input.jobTitle ?? null,
      officePhone: input.officePhone ?? null,
      mobile: input.mobile ?? null,
      platformAccount: input.platformAccount ?? null,
      postalAddress: input.postalAddress ?? null,
      note: input.note ?? null,
      stampedScanFileId: input.stampedScanFileId ?? null,
    };
    const v = validateForSubmit({ kind: "REGIONAL_CONTACT", data: form });
    if (!v.some((x) => x.field === "platformAccount") && form.platformAccount) {
      const u = await findAccount(tx, form.platformAccount.trim());
      if (!u) v.push({ field: "platformAccount", rule: "accountExists", message: `「之江汇账号」${form.platformAccount.trim()}不存在，请核对师训账号` });
    }
    if (!v.some((x) => x.field === "stampedScanFileId")) {
      // Only the caller's own upload, or the scan already on this very contact.
      v.push(...(await fileAttachViolations(tx, ctx, form.stampedScanFileId, { purpose: "STAMPED_SCAN", field: "stampedScanFileId" }, { type: "regional_contact", id })));
    }
    if (v.length) throw badInput(v);
    await assertStageOpenFor(tx, c, "CONTACTS", unit.path);

    let row: ContactRow | undefined;
    if (id) {
      const cur = await requireVisibleContact(ctx, id, tx);
      if (cur.state === "APPROVED") throw new DomainError("INVALID_TRANSITION", "联系人已审核通过，不能再修改；如需更换请重新报送一名联系人");
      if (version !== null && cur.version !== version) throw new DomainError("CONFLICT", "联系人信息已被他人修改，请刷新后再操作");
      row = await repo.resubmitContact(tx, cur.id, cur.version, { unitId: unit.id, cityId: unit.city_id, unitPath: unit.path, form, submittedBy: ctx.auth!.userId });
      if (!row) throw new DomainError("CONFLICT", "联系人信息已被他人修改，请刷新后再操作");
    } else {
      row = await repo.insertContact(tx, campaignId, { unitId: unit.id, cityId: unit.city_id, unitPath: unit.path, form, submittedBy: ctx.auth!.userId });
    }
    if (form.stampedScanFileId) await linkFiles(tx, [form.stampedScanFileId], "regional_contact", String(row!.id));
    return row!;
  });
}

/**
 * The province approves a contact: a region's contact's account gets the reviewer role of the
 * unit they represent (CITY_REVIEWER for a city, COUNTY_REVIEWER for a county), audited; a
 * practice-base management department is confirmed as the contact for the city's bases without
 * a role. The contact and the submitter are told.
 */
export async function approveContact(ctx: Ctx, id: string, version: number): Promise<ContactRow> {
  return ctx.db.tx(async (tx) => {
    const cur = await requireVisibleContact(ctx, id, tx);
    if (cur.state !== "SUBMITTED") throw new DomainError("INVALID_TRANSITION", cur.state === "APPROVED" ? "联系人已审核通过" : "联系人已退回，需重新报送后才能审核");
    if (cur.version !== version) throw new DomainError("CONFLICT", "联系人信息已被他人修改，请刷新后再操作");
    const unit = await findUnit(tx, cur.unit_id);
    const kind = kindOf(cur.form);
    const role = contactGrantedRole(kind, unit!.kind);
    const user = cur.form.platformAccount ? await findAccount(tx, cur.form.platformAccount) : undefined;
    if (!user) throw badInput([{ field: "platformAccount", rule: "accountExists", message: `「之江汇账号」${cur.form.platformAccount}不存在，请退回并请设区市核对` }]);
    if (user.locked) throw badInput([{ field: "platformAccount", rule: "locked", message: `账号${cur.form.platformAccount}已停用，不能授予审核权限` }]);
    let granted: { id: string } | undefined;
    if (role) {
      // Granting a role changes the account: the same rule as grantRole (the approver must outrank every role it holds).
      await requireMayChange(ctx, tx, user);
      granted = await repo.grantRoleOnce(tx, user.id, role, cur.unit_id, ctx.auth!.userId);
    }
    const row = await repo.approveContact(tx, cur.id, version, ctx.auth!.userId, granted?.id ?? null);
    if (!row) throw new DomainError("CONFLICT", "联系人信息已被他人修改，请刷新后再操作");
    if (role) {
      await audit(tx, ctx, { action: "ROLE_GRANT", targetType: "user", targetId: user.id, data: { role, unitId: cur.unit_id, via: "regional_contact", contactId: cur.id } });
    }
    await audit(tx, ctx, { action: "CONTACT_APPROVE", targetType: "regional_contact", targetId: cur.id, data: { kind } });
    await notify(tx, [String(user.id)], role
      ? {
          kind: "CONTACT_APPROVED",
          title: "已开通审核推送权限",
          body: `您已被确认为${unit!.name}的区域活动联系人，账号已开通“${role === "CITY_REVIEWER" ? "设区市" : "县（市、区）"}审核员”权限`,
          campaignId: cur.campaign_id,
        }
      : {
          kind: "CONTACT_APPROVED",
          title: "已确认为实践教育基地管理部门联系人",
          body: `您已被确认为${unit!.name}实践教育基地管理部门（${cur.form.unitName ?? ""}）的联系人`,
          campaignId: cur.campaign_id,
        });
    await notify(tx, [String(cur.submitted_by)].filter((u) => u !== String(user.id)), {
      kind: "CONTACT_APPROVED",
      title: "联系人信息已审核通过",
      body: role
        ? `${unit!.name}的联系人${cur.form.contactName ?? ""}已审核通过，其账号已开通审核推送权限`
        : `${unit!.name}的${CONTACT_KIND_LABELS[kind]}联系人${cur.form.contactName ?? ""}已审核通过`,
      campaignId: cur.campaign_id,
    });
    return row;
  });
}

/** The province sends a contact back with a reason; the city corrects and resubmits it. */
export async function rejectContact(ctx: Ctx, id: string, version: number, reason: string): Promise<ContactRow> {
  const why = reason.trim();
  if (!why) throw badInput([{ field: "reason", rule: "required", message: "请填写退回理由" }]);
  if (why.length > 500) throw badInput([{ field: "reason", rule: "maxLength", message: `退回理由不能超过500字，当前${why.length}字` }]);
  return ctx.db.tx(async (tx) => {
    const cur = await requireVisibleContact(ctx, id, tx);
    if (cur.state !== "SUBMITTED") throw new DomainError("INVALID_TRANSITION", "只有待审核的联系人可以退回");
    const row = await repo.rejectContact(tx, cur.id, version, ctx.auth!.userId, why);
    if (!row) throw new DomainError("CONFLICT", "联系人信息已被他人修改，请刷新后再操作");
    await notify(tx, [String(cur.submitted_by)], {
      kind: "CONTACT_REJECTED",
      title: "联系人信息被退回",
      body: `联系人${cur.form.contactName ?? ""}的信息被退回：${why}`,
      campaignId: cur.campaign_id,
    });
    return row;
  });
}

/** WHERE and params of the contacts list in the acting role's scope (shared with the export). */
export async function contactWhere(ctx: Ctx, campaignId: string, state: ContactState | null) {
  const acting = requireActing(ctx);
  await requireCampaign(ctx, campaignId);
  return repo.contactListWhere(campaignId, acting.unitPath + "%", state);
}

export async function listContacts(ctx: Ctx, campaignId: string, state: ContactState | null, page: { offset: number; limit: number }) {
  const { offset, limit } = checkPage(page);
  return repo.listContacts(ctx.db, await contactWhere(ctx, campaignId, state), offset, limit);
}
