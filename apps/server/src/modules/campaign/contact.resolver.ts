import { Arg, Args, Ctx as GqlCtx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { Ctx } from "../../common/context.js";
import { PageArgs } from "../../common/paging.js";
import { FileRef, PersonRef } from "../application/application.types.js";
import { registerFileTarget, storedFileById } from "../files/files.service.js";
import { Permission } from "../auth/permissions.js";
import { unitById } from "../org/org.service.js";
import { userIdentity } from "../users/users.service.js";
import { OrgUnit } from "../org/org.types.js";
import * as contacts from "./contact.service.js";
import { CONTACT_KIND_LABELS } from "./domain.js";
import { ContactKindEnum, ContactStateEnum, RegionalContact, RegionalContactInput, RegionalContactPage } from "./contact.types.js";

registerFileTarget("regional_contact", [Permission.ContactRead], async (ctx, id) => !!(await contacts.requireVisibleContact(ctx, id)));

function view(r: contacts.ContactRow): RegionalContact {
  const f = r.form;
  return Object.assign(new RegionalContact(), {
    id: String(r.id),
    campaignId: String(r.campaign_id),
    kind: contacts.kindOf(f) as ContactKindEnum,
    kindLabel: CONTACT_KIND_LABELS[contacts.kindOf(f)],
    unitId: String(r.unit_id),
    contactName: f.contactName ?? null,
    cityCode: f.cityCode ?? null,
    unitName: f.unitName ?? null,
    jobTitle: f.jobTitle ?? null,
    officePhone: f.officePhone ?? null,
    mobile: f.mobile ?? null,
    platformAccount: f.platformAccount ?? null,
    postalAddress: f.postalAddress ?? null,
    note: f.note ?? null,
    state: r.state as ContactStateEnum,
    version: r.version,
    submittedAt: r.submitted_at,
    reviewedAt: r.reviewed_at,
    reviewComment: r.review_comment,
    row: r,
  });
}

const rowOf = (c: RegionalContact) => (c as RegionalContact & { row: contacts.ContactRow }).row;

@Resolver(() => RegionalContact)
export class RegionalContactResolver {
  @Query(() => RegionalContactPage, { description: "Regional contacts in the acting role's scope" })
  async regionalContacts(
    @Arg("campaignId", () => ID) campaignId: string,
    @Arg("state", () => ContactStateEnum, { nullable: true }) state: ContactStateEnum | null,
    @Args() page: PageArgs,
    @GqlCtx() ctx: Ctx,
  ) {
    const r = await contacts.listContacts(ctx, campaignId, state ?? null, page);
    return Object.assign(new RegionalContactPage(), { items: r.items.map(view), total: r.total });
  }

  @Mutation(() => RegionalContact, { description: "File a regional contact (or correct one not yet approved: pass id and version)" })
  async saveRegionalContact(
    @Arg("campaignId", () => ID) campaignId: string,
    @Arg("input", () => RegionalContactInput) input: RegionalContactInput,
    @Arg("id", () => ID, { nullable: true }) id: string | null,
    @Arg("version", () => Int, { nullable: true }) version: number | null,
    @GqlCtx() ctx: Ctx,
  ) {
    return view(await contacts.saveContact(ctx, campaignId, id ?? null, { ...input }, version ?? null));
  }

  @Mutation(() => RegionalContact, { description: "Province: approve a contact, granting their account the reviewer role of the unit" })
  async approveRegionalContact(@Arg("id", () => ID) id: string, @Arg("version", () => Int) version: number, @GqlCtx() ctx: Ctx) {
    return view(await contacts.approveContact(ctx, id, version));
  }

  @Mutation(() => RegionalContact, { description: "Province: send a contact back with a reason" })
  async rejectRegionalContact(@Arg("id", () => ID) id: string, @Arg("version", () => Int) version: number, @Arg("reason") reason: string, @GqlCtx() ctx: Ctx) {
    return view(await contacts.rejectContact(ctx, id, version, reason));
  }

  @FieldResolver(() => OrgUnit, { nullable: true })
  unit(@Root() c: RegionalContact, @GqlCtx() ctx: Ctx) {
    return unitById(ctx, c.unitId);
  }

  @FieldResolver(() => FileRef, { nullable: true })
  async stampedScan(@Root() c: RegionalContact, @GqlCtx() ctx: Ctx) {
    return FileRef.from(await storedFileById(ctx, rowOf(c).form.stampedScanFileId));
  }

  @FieldResolver(() => PersonRef)
  async submittedBy(@Root() c: RegionalContact, @GqlCtx() ctx: Ctx) {
    const id = String(rowOf(c).submitted_by);
    return PersonRef.of(id, await userIdentity(ctx, id));
  }
}
