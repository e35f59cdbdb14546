import { getNamedType, isObjectType, type GraphQLSchema } from "graphql";
import { afterAll, beforeAll, expect, it } from "vitest";
import { getSchema } from "../../apps/server/src/schema.js";
import { Client, loginAs, type GqlError } from "../support/client.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";

/**
 * Every field that returns another user, a unit or a file answers an outsider NOT_FOUND (or a
 * refusal of the role, or null where the UI needs a label), and a unit reached through another
 * object shows its label only: its figures (counts, children) only inside the acting subtree
 * (finding L4: teachers read the counts of their city and the province through
 * `application.city` and `history.actorUnit`).
 *
 * The fields are read from the schema: a new field returning one of these types fails the
 * first test until it gets its outsider case here.
 */
const SENSITIVE_TYPES = new Set([
  "OrgUnit", "User", "Me", "PersonRef", "RoleHolder", "ExpertProfile", "FileRef",
  // A user's or a unit's activity figures.
  "TeacherActivity", "TeacherActivityRow", "UnitActivity", "RankedSchool",
]);

function sensitiveFields(schema: GraphQLSchema): string[] {
  const out: string[] = [];
  for (const t of Object.values(schema.getTypeMap())) {
    if (!isObjectType(t) || t.name.startsWith("__")) continue;
    for (const f of Object.values(t.getFields())) if (SENSITIVE_TYPES.has(getNamedType(f.type).name)) out.push(`${t.name}.${f.name}`);
  }
  return out.sort();
}

interface Fixture {
  server: TestServer;
  campaignId: string;
  unit: Record<"hzCity" | "raCounty" | "raSchool" | "hzSchool", string>;
  user: Record<string, string>;
  app: Record<"raTeacher3" | "hzTeacher1" | "wzAtProvince", string>;
  as(account: string, role?: string): Promise<Client>;
}

type R = { data?: any; errors?: GqlError[]; status: number };

/** Refused: the first error has one of the codes, and nothing of the object came back. */
function refused(r: R, codes: string[] = ["NOT_FOUND"]): void {
  expect(r.errors?.length, JSON.stringify(r.data)).toBeGreaterThan(0);
  expect(codes).toContain(r.errors![0]!.extensions?.code);
}

/** The unit's figures were refused (NOT_FOUND at `counts`) and no figure leaked. */
function figuresRefused(r: R): void {
  expect(r.errors?.some((e) => e.extensions?.code === "NOT_FOUND" && /counts|childCount/.test(JSON.stringify((e as { path?: unknown }).path))), JSON.stringify(r)).toBe(true);
  expect(JSON.stringify(r.data ?? null)).not.toMatch(/"teachers"|"schools"|"childCount"/);
}

const COUNTS = `id name counts { schools teachers lockedTeachers } childCount`;

/** One outsider case per field (the representative attack on it). */
const CASES: Record<string, (f: Fixture) => Promise<void>> = {
  "Query.me": async (f) => {
    expect((await new Client(f.server.url).gql(`{ me { id } }`)).me).toBeNull();
  },
  "LoginResult.me": async (f) => {
    refused(await new Client(f.server.url).raw(`mutation { login(account: "hz_teacher1", password: "wrong-Password1") { me { id } } }`), ["BAD_CREDENTIALS", "LOGIN_THROTTLED", "ACCOUNT_LOCKED"]);
  },
  "Mutation.switchRole": async (f) => {
    const other = (await (await f.as("prov_admin")).gql(`query($u: ID!) { user(id: $u) { roles { id } } }`, { u: f.user.hz_teacher1 })).user.roles[0].id;
    refused(await (await f.as("ra_teacher1")).raw(`mutation($a: ID!) { switchRole(assignmentId: $a) { id } }`, { a: other }), ["NOT_FOUND", "FORBIDDEN"]);
  },
  "Me.homeUnit": async (f) => {
    // hz_teacher1, acting as administrator of a Rui'an school: their Hangzhou school is outside.
    const c = await f.as("hz_teacher1", "SCHOOL_ADMIN");
    figuresRefused(await c.raw(`{ me { homeUnit { ${COUNTS} } } }`));
  },
  "Query.unit": async (f) => refused(await (await f.as("ra_county")).raw(`query($u: ID!) { unit(id: $u) { id } }`, { u: f.unit.hzCity })),
  "Query.unitChildren": async (f) => refused(await (await f.as("ra_county")).raw(`query($u: ID!) { unitChildren(parentId: $u) { items { id } } }`, { u: f.unit.hzCity })),
  "OrgUnitPage.items": async (f) => refused(await (await f.as("ra_teacher1")).raw(`query($u: ID!) { unitChildren(parentId: $u) { items { id } } }`, { u: f.unit.raCounty })),
  "Query.searchUnits": async (f) => {
    expect((await (await f.as("ra_county")).gql(`{ searchUnits(query: "杭州") { id } }`)).searchUnits).toEqual([]);
  },
  "OrgUnit.ancestors": async (f) => {
    const r = await (await f.as("ra_teacher1")).gql(`query($u: ID!) { unit(id: $u) { ancestors { id } } }`, { u: f.unit.raSchool });
    expect(r.unit.ancestors).toEqual([]); // the county, city and province are outside a teacher's school
  },
  "Query.users": async (f) => refused(await (await f.as("ra_county")).raw(`query($u: ID!) { users(unitId: $u) { items { id } } }`, { u: f.unit.hzCity })),
  "UserPage.items": async (f) => {
    const items = (await (await f.as("ra_county")).gql(`{ users(limit: 200) { items { id } } }`)).users.items as { id: string }[];
    expect(items.map((i) => i.id)).not.toContain(f.user.hz_teacher1);
  },
  "Query.user": async (f) => refused(await (await f.as("ra_county")).raw(`query($u: ID!) { user(id: $u) { id } }`, { u: f.user.hz_teacher1 })),
  "User.homeUnit": async (f) => refused(await (await f.as("lc_county")).raw(`query($u: ID!) { user(id: $u) { homeUnit { id } } }`, { u: f.user.ra_teacher1 })),
  "User.roles": async (f) => {
    refused(await (await f.as("lc_county")).raw(`query($u: ID!) { user(id: $u) { roles { id } } }`, { u: f.user.ra_teacher1 }));
    // A Hangzhou teacher holding a role in Rui'an: the account (home unit in Hangzhou) stays
    // outside the Rui'an county, roles included.
    refused(await (await f.as("ra_county")).raw(`query($u: ID!) { user(id: $u) { roles { unit { id } } } }`, { u: f.user.hz_teacher1 }));
  },
  "Me.roles": async (f) => {
    const c = await f.as("hz_teacher1", "SCHOOL_ADMIN");
    const r = await c.raw(`{ me { roles { role unit { ${COUNTS} } } } }`);
    figuresRefused(r);
  },
  "Mutation.lockUser": async (f) => refused(await (await f.as("ra_county")).raw(`mutation($u: ID!) { lockUser(userId: $u, reason: "x") { id } }`, { u: f.user.hz_teacher1 }), ["NOT_FOUND", "FORBIDDEN"]),
  "Mutation.unlockUser": async (f) => refused(await (await f.as("ra_county")).raw(`mutation($u: ID!) { unlockUser(userId: $u) { id } }`, { u: f.user.hz_teacher1 }), ["NOT_FOUND", "FORBIDDEN"]),
  "RoleAssignment.unit": async (f) => {
    // The province's roles listed by a county for a user of its own: the unit's label only.
    const c = await f.as("ra_county");
    const r = await c.raw(`query($u: ID!) { user(id: $u) { roles { unit { ${COUNTS} } } } }`, { u: f.user.ra_teacher_expert });
    figuresRefused(r);
  },
  "RoleAssignment.holder": async (f) => refused(await (await f.as("ra_county")).raw(`query($u: ID!) { roleAssignments(unitId: $u) { items { holder { id } } } }`, { u: f.unit.hzCity })),
  "Query.myActivity": async (f) => refused(await new Client(f.server.url).raw(`{ myActivity(year: 2023) { account total } }`), ["UNAUTHENTICATED"]),
  "Query.teacherActivity": async (f) => {
    refused(await (await f.as("ra_county")).raw(`{ teacherActivity(account: "hz_teacher1", year: 2023) { name total } }`));
    refused(await (await f.as("ra_county")).raw(`query($u: ID!) { teacherActivity(userId: $u, year: 2023) { name total } }`, { u: f.user.hz_teacher1 }));
  },
  "Query.unitActivity": async (f) => refused(await (await f.as("ra_county")).raw(`query($u: ID!) { unitActivity(unitId: $u, period: "2023") { teachers } }`, { u: f.unit.hzCity })),
  "Query.childUnitsActivity": async (f) => refused(await (await f.as("ra_county")).raw(`query($u: ID!) { childUnitsActivity(unitId: $u, period: "2023") { teachers } }`, { u: f.unit.hzCity })),
  "SchoolRankingPage.items": async (f) => refused(await (await f.as("ra_county")).raw(`query($u: ID!) { belowTargetSchools(unitId: $u, period: "2023") { items { schoolName } } }`, { u: f.unit.hzCity })),
  "TeacherActivityPage.items": async (f) => {
    refused(await (await f.as("ra_county")).raw(`query($u: ID!) { teacherActivityPage(unitId: $u, period: "2023") { items { name } } }`, { u: f.unit.hzCity }));
    refused(await (await f.as("ra_county")).raw(`query($u: ID!) { belowTargetTeachers(unitId: $u, period: "2023") { items { name } } }`, { u: f.unit.hzCity }));
  },
  "UnitActivity.unit": async (f) => refused(await (await f.as("ra_county")).raw(`query($u: ID!) { unitActivity(unitId: $u, period: "2023") { unit { id } } }`, { u: f.unit.hzCity })),
  "SchoolRankingPage.scope": async (f) => refused(await (await f.as("ra_county")).raw(`query($u: ID!) { schoolRanking(scopeUnitId: $u, period: "2023") { scope { id } } }`, { u: f.unit.hzCity })),
  "UnitDeadline.unit": async (f) => {
    const r = await (await f.as("ra_teacher1")).raw(`query($c: ID!) { campaign(id: $c) { stages { unitDeadlines { unitId unit { ${COUNTS} } } } } }`, { c: f.campaignId });
    const listed = r.data?.campaign?.stages.flatMap((s: { unitDeadlines: unknown[] }) => s.unitDeadlines) ?? [];
    expect(listed.length).toBeGreaterThan(0);
    figuresRefused(r);
  },
  "DeadlineExtension.unit": async (f) => {
    const r = await (await f.as("ra_teacher1")).raw(`query($c: ID!) { campaign(id: $c) { extensions { unitId unit { ${COUNTS} } } } }`, { c: f.campaignId });
    expect((r.data?.campaign?.extensions ?? []).some((x: { unitId: string | null }) => x.unitId === f.unit.hzCity)).toBe(true);
    figuresRefused(r);
  },
  "Application.applicant": async (f) => refused(await (await f.as("hz_teacher2")).raw(`query($a: ID!) { application(id: $a) { applicant { id name } } }`, { a: f.app.raTeacher3 })),
  "Application.applicantUnit": async (f) => refused(await (await f.as("lc_county")).raw(`query($a: ID!) { application(id: $a) { applicantUnit { id } } }`, { a: f.app.raTeacher3 })),
  "Application.city": async (f) => {
    refused(await (await f.as("hz_city")).raw(`query($a: ID!) { application(id: $a) { city { id } } }`, { a: f.app.raTeacher3 }));
    // The probe's case: the applicant reads the figures of their city through their application.
    figuresRefused(await (await f.as("ra_teacher3")).raw(`query($a: ID!) { application(id: $a) { id city { ${COUNTS} } } }`, { a: f.app.raTeacher3 }));
  },
  "Application.county": async (f) => {
    refused(await (await f.as("lc_county")).raw(`query($a: ID!) { application(id: $a) { county { id } } }`, { a: f.app.raTeacher3 }));
    figuresRefused(await (await f.as("ra_teacher3")).raw(`query($a: ID!) { application(id: $a) { id county { ${COUNTS} } } }`, { a: f.app.raTeacher3 }));
  },
  "ApplicationFormView.photoZip": async (f) => refused(await (await f.as("hz_teacher2")).raw(`query($a: ID!) { application(id: $a) { form { photoZip { id url } } } }`, { a: f.app.raTeacher3 })),
  "ApplicationFormView.caseDocument": async (f) => refused(await (await f.as("hz_teacher2")).raw(`query($a: ID!) { application(id: $a) { form { caseDocument { id url } } } }`, { a: f.app.raTeacher3 })),
  "ApplicationFormView.video": async (f) => refused(await (await f.as("hz_teacher2")).raw(`query($a: ID!) { application(id: $a) { form { video { id url } } } }`, { a: f.app.raTeacher3 })),
  "ReviewAction.actor": async (f) => refused(await (await f.as("lc_county")).raw(`query($a: ID!) { application(id: $a) { history { actor { id name } } } }`, { a: f.app.raTeacher3 })),
  "ReviewAction.actorUnit": async (f) => {
    refused(await (await f.as("lc_county")).raw(`query($a: ID!) { application(id: $a) { history { actorUnit { id } } } }`, { a: f.app.raTeacher3 }));
    // The probe's case: the county that recommended is outside the teacher's school.
    figuresRefused(await (await f.as("ra_teacher3")).raw(`query($a: ID!) { application(id: $a) { history { action actorUnit { ${COUNTS} } } } }`, { a: f.app.raTeacher3 }));
  },
  "ApplicationConsent.acceptedBy": async (f) => refused(await (await f.as("hz_teacher2")).raw(`query($a: ID!) { application(id: $a) { consents { acceptedBy { id } } } }`, { a: f.app.raTeacher3 })),
  "ApplicationRevision.submittedBy": async (f) => refused(await (await f.as("hz_teacher2")).raw(`query($a: ID!) { application(id: $a) { revisions { submittedBy { id } } } }`, { a: f.app.raTeacher3 })),
  "RegionalContact.unit": async (f) => {
    const items = (await (await f.as("ra_county")).gql(`query($c: ID!) { regionalContacts(campaignId: $c, limit: 200) { items { unitId unit { id } } } }`, { c: f.campaignId })).regionalContacts.items;
    expect(items.map((i: { unitId: string }) => i.unitId)).not.toContain(f.unit.hzCity);
    refused(await (await f.as("ra_teacher1")).raw(`query($c: ID!) { regionalContacts(campaignId: $c) { items { unit { id } } } }`, { c: f.campaignId }), ["FORBIDDEN", "NOT_FOUND"]);
  },
  "RegionalContact.stampedScan": async (f) => {
    const items = (await (await f.as("ra_county")).gql(`query($c: ID!) { regionalContacts(campaignId: $c, limit: 200) { items { unitId stampedScan { id } } } }`, { c: f.campaignId })).regionalContacts.items;
    expect(items.map((i: { unitId: string }) => i.unitId)).not.toContain(f.unit.hzCity);
  },
  "RegionalContact.submittedBy": async (f) => {
    refused(await (await f.as("ra_teacher1")).raw(`query($c: ID!) { regionalContacts(campaignId: $c) { items { submittedBy { id } } } }`, { c: f.campaignId }), ["FORBIDDEN", "NOT_FOUND"]);
  },
  "ClubRegistration.unit": async (f) => {
    const items = (await (await f.as("ra_county")).gql(`query($c: ID!) { clubRegistrations(campaignId: $c, limit: 200) { items { unitId unit { id } } } }`, { c: f.campaignId })).clubRegistrations.items;
    expect(items.map((i: { unitId: string }) => i.unitId)).not.toContain(f.unit.hzCity);
    refused(await (await f.as("ra_county")).raw(`query($id: ID!) { clubRegistration(id: $id) { unit { id } } }`, { id: f.user.hzClub }), ["NOT_FOUND", "FORBIDDEN"]);
  },
  "ClubRegistrationForm.stampedScan": async (f) => {
    refused(await (await f.as("ra_county")).raw(`query($id: ID!) { clubRegistration(id: $id) { form { stampedScan { id } } } }`, { id: f.user.hzClub }), ["NOT_FOUND", "FORBIDDEN"]);
  },
  "Query.expertPool": async (f) => refused(await (await f.as("ra_county")).raw(`query($c: ID!) { expertPool(campaignId: $c) { id } }`, { c: f.campaignId }), ["FORBIDDEN"]),
  "ExpertAssignment.expert": async (f) => {
    refused(await (await f.as("hz_city")).raw(`query($c: ID!) { expertAssignments(campaignId: $c) { items { expert { id } } } }`, { c: f.campaignId }), ["FORBIDDEN"]);
    // An expert sees their own tasks only: never another expert.
    const mine = (await (await f.as("expert_hz")).gql(`{ myAssignments(limit: 200) { items { expert { id } } } }`)).myAssignments.items;
    expect(mine.every((i: { expert: { id: string } }) => i.expert.id === f.user.expert_hz)).toBe(true);
  },
  "ExpertLoad.expert": async (f) => refused(await (await f.as("hz_city")).raw(`query($c: ID!) { expertPool(campaignId: $c) { id } }`, { c: f.campaignId }), ["FORBIDDEN"]),
  "ExpertScoreView.expert": async (f) => refused(await (await f.as("expert_hz")).raw(`query($a: ID!) { expertScores(applicationId: $a) { expert { id } } }`, { a: f.app.wzAtProvince }), ["FORBIDDEN"]),
  "ScoreSheet.photoZip": async (f) => refused(await (await f.as("expert_hz")).raw(`query($a: ID!) { scoreSheet(applicationId: $a) { photoZip { id } } }`, { a: f.app.hzTeacher1 }), ["NOT_FOUND", "FORBIDDEN"]),
  "ScoreSheet.caseDocument": async (f) => refused(await (await f.as("expert_hz")).raw(`query($a: ID!) { scoreSheet(applicationId: $a) { caseDocument { id } } }`, { a: f.app.hzTeacher1 }), ["NOT_FOUND", "FORBIDDEN"]),
  "ScoreSheet.video": async (f) => refused(await (await f.as("expert_hz")).raw(`query($a: ID!) { scoreSheet(applicationId: $a) { video { id } } }`, { a: f.app.hzTeacher1 }), ["NOT_FOUND", "FORBIDDEN"]),
  "ExcellentUnit.unit": async (f) => refused(await (await f.as("hz_city")).raw(`query($c: ID!) { excellentUnits(campaignId: $c) { unit { id } } }`, { c: f.campaignId }), ["FORBIDDEN"]),
  "ExcellentInstructor.unit": async (f) => refused(await (await f.as("hz_city")).raw(`query($c: ID!) { excellentInstructors(campaignId: $c) { unit { id } } }`, { c: f.campaignId }), ["FORBIDDEN"]),
};

it("has an outsider case for every field that returns a user, a unit or a file", async () => {
  expect(sensitiveFields(await getSchema()).filter((k) => !CASES[k])).toEqual([]);
});

describeEachDb("nested users, units and files answer outsiders NOT_FOUND", (variant) => {
  const f = {} as Fixture;
  const clients = new Map<string, Promise<Client>>();

  beforeAll(async () => {
    f.server = await startTestServer(variant);
    const db = f.server.db;
    f.as = (account, role) => {
      const key = `${account}/${role ?? ""}`;
      if (!clients.has(key)) clients.set(key, loginAs(f.server.url, account).then((c) => (role ? c.as(role) : c)));
      return clients.get(key)!;
    };
    const unit = async (code: string) => String((await db.one<{ id: string }>(`SELECT id FROM org_unit WHERE code = $1`, [code]))!.id);
    const users = await db.rows<{ id: string; account: string; home_unit_id: string }>(`SELECT id, account, home_unit_id FROM app_user`);
    f.user = Object.fromEntries(users.map((u) => [u.account, String(u.id)]));
    f.unit = {
      hzCity: await unit("330100"),
      raCounty: await unit("330381"),
      raSchool: await unit("3303810001"),
      hzSchool: String(users.find((u) => u.account === "hz_teacher1")!.home_unit_id),
    };
    const appOf = async (account: string) => String((await db.one<{ id: string }>(`SELECT a.id FROM application a JOIN app_user u ON u.id = a.applicant_user_id WHERE u.account = $1 ORDER BY a.id LIMIT 1`, [account]))!.id);
    f.app = { raTeacher3: await appOf("ra_teacher3"), hzTeacher1: await appOf("hz_teacher1"), wzAtProvince: await appOf("pb_teacher1") };
    f.campaignId = String((await db.one<{ campaign_id: string }>(`SELECT campaign_id FROM application WHERE id = $1`, [f.app.raTeacher3]))!.campaign_id);

    const admin = await f.as("prov_admin");
    // A Hangzhou teacher made administrator of a Rui'an school (home unit outside that role's scope).
    await admin.gql(`mutation($u: ID!, $unit: ID!) { grantRole(userId: $u, role: SCHOOL_ADMIN, unitId: $unit) { id } }`, { u: f.user.hz_teacher1, unit: f.unit.raSchool });
    // A Rui'an teacher who is also a province expert (a role held outside the county).
    f.user.ra_teacher_expert = f.user.ra_teacher2!;
    const province = String((await db.one<{ id: string }>(`SELECT id FROM org_unit WHERE kind = 'PROVINCE'`))!.id);
    await admin.gql(`mutation($u: ID!, $unit: ID!) { grantRole(userId: $u, role: EXPERT, unitId: $unit) { id } }`, { u: f.user.ra_teacher2, unit: province });
    // Hangzhou's own deadline and a province extension for Hangzhou: listed in the campaign.
    const stages = (await admin.gql(`query($c: ID!) { campaign(id: $c) { stages { stage deadline effectiveDeadline } } }`, { c: f.campaignId })).campaign.stages as { stage: string; deadline: string | null; effectiveDeadline: string | null }[];
    const application = stages.find((s) => s.stage === "APPLICATION")!;
    await admin.gql(`mutation($c: ID!, $u: ID!) { extendDeadline(campaignId: $c, stage: APPLICATION, until: "2099-12-31", reason: "杭州延期", unitId: $u) { id } }`, { c: f.campaignId, u: f.unit.hzCity });
    await (await f.as("hz_city")).gql(`mutation($c: ID!, $u: ID!, $d: String) { setUnitDeadline(campaignId: $c, stage: APPLICATION, unitId: $u, deadline: $d) { id } }`, { c: f.campaignId, u: f.unit.hzCity, d: application.effectiveDeadline ?? application.deadline });
    // A Hangzhou club registration.
    f.user.hzClub = String((await (await f.as("hz_city")).gql(`mutation($c: ID!) { createClubRegistration(campaignId: $c) { id } }`, { c: f.campaignId })).createClubRegistration.id);
  });
  afterAll(() => f.server?.stop());

  for (const [field, check] of Object.entries(CASES)) {
    it(`${field}: an outsider is refused`, () => check(f));
  }
});
