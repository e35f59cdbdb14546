import { Arg, Args, Ctx as GqlCtx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { Ctx } from "../../common/context.js";
import { PageArgs } from "../../common/paging.js";
import { FileRef } from "../application/application.types.js";
import { registerFileTarget, storedFileById } from "../files/files.service.js";
import { Permission } from "../auth/permissions.js";
import { unitById } from "../org/org.service.js";
import { OrgUnit } from "../org/org.types.js";
import * as clubs from "./club.service.js";
import { ClubLesson, ClubMember, ClubPlan, ClubRegistration, ClubRegistrationForm, ClubRegistrationInput, ClubRegistrationPage } from "./club.types.js";

registerFileTarget("club_registration", [Permission.ClubRead], async (ctx, id) => !!(await clubs.requireVisibleClub(ctx, id)));

const s = (v: unknown): string | null => (typeof v === "string" ? v : null);

function formView(f: clubs.ClubFormData): ClubRegistrationForm {
  const plan = f.plan ?? {};
  return Object.assign(new ClubRegistrationForm(), {
    region: s(f.region), stage: s(f.stage), unitName: s(f.unitName), leaderName: s(f.leaderName), leaderPhone: s(f.leaderPhone),
    adminName: s(f.adminName), adminPhone: s(f.adminPhone),
    members: (f.members ?? []).map((m) => Object.assign(new ClubMember(), { name: s(m?.name), unit: s(m?.unit), title: s(m?.title), task: s(m?.task) })),
    direction: s(f.direction), directionOther: s(f.directionOther),
    plan: Object.assign(new ClubPlan(), { time: s(plan.time), audience: s(plan.audience), content: s(plan.content), schedule: s(plan.schedule), measures: s(plan.measures) }),
    theme: s(f.theme), schedule: s(f.schedule),
    lessons: (f.lessons ?? []).map((l) => Object.assign(new ClubLesson(), { no: typeof l?.no === "number" ? l.no : null, title: s(l?.title), lecturer: s(l?.lecturer), unit: s(l?.unit), mobile: s(l?.mobile) })),
    stampedScanFileId: f.stampedScanFileId ?? null,
  });
}

function view(r: clubs.ClubRow): ClubRegistration {
  return Object.assign(new ClubRegistration(), {
    id: String(r.id), campaignId: String(r.campaign_id), unitId: String(r.unit_id), state: r.state, version: r.version,
    form: formView(r.form), createdAt: r.created_at, updatedAt: r.updated_at, submittedAt: r.submitted_at,
  });
}

/** Plain data from the GraphQL input (class instances), for validation and storage. */
function plain(input: ClubRegistrationInput): clubs.ClubFormData {
  return JSON.parse(JSON.stringify(input)) as clubs.ClubFormData;
}

@Resolver(() => ClubRegistration)
export class ClubRegistrationResolver {
  @Query(() => ClubRegistrationPage, { description: "Club-space registrations in the acting role's scope (drafts: the registering unit only)" })
  async clubRegistrations(@Arg("campaignId", () => ID) campaignId: string, @Args() page: PageArgs, @GqlCtx() ctx: Ctx) {
    const r = await clubs.listClubs(ctx, campaignId, page);
    return Object.assign(new ClubRegistrationPage(), { items: r.items.map(view), total: r.total });
  }

  @Query(() => ClubRegistration)
  async clubRegistration(@Arg("id", () => ID) id: string, @GqlCtx() ctx: Ctx) {
    return view(await clubs.requireVisibleClub(ctx, id));
  }

  @Mutation(() => ClubRegistration, { description: "Start a club-space registration (Annex 2) for the acting school, county or city" })
  async createClubRegistration(@Arg("campaignId", () => ID) campaignId: string, @GqlCtx() ctx: Ctx) {
    return view(await clubs.createClub(ctx, campaignId));
  }

  @Mutation(() => ClubRegistration, { description: "Save a registration draft; only formats are checked" })
  async saveClubRegistration(
    @Arg("id", () => ID) id: string,
    @Arg("version", () => Int) version: number,
    @Arg("form", () => ClubRegistrationInput) form: ClubRegistrationInput,
    @GqlCtx() ctx: Ctx,
  ) {
    return view(await clubs.saveClub(ctx, id, plain(form), version));
  }

  @Mutation(() => ClubRegistration, { description: "Submit a registration by the deadline; the whole form and the stamped scan are required" })
  async submitClubRegistration(@Arg("id", () => ID) id: string, @Arg("version", () => Int) version: number, @GqlCtx() ctx: Ctx) {
    return view(await clubs.submitClub(ctx, id, version));
  }

  @FieldResolver(() => OrgUnit, { nullable: true })
  unit(@Root() c: ClubRegistration, @GqlCtx() ctx: Ctx) {
    return unitById(ctx, c.unitId);
  }
}

@Resolver(() => ClubRegistrationForm)
export class ClubRegistrationFormResolver {
  @FieldResolver(() => FileRef, { nullable: true })
  async stampedScan(@Root() f: ClubRegistrationForm, @GqlCtx() ctx: Ctx) {
    return FileRef.from(await storedFileById(ctx, f.stampedScanFileId));
  }
}
