import type { Db } from "../../apps/server/src/db/data-source.js";
import { CURRENT_CONSENT_VERSION } from "../../libs/domain/src/consent/consent.js";
import { Client, loginAs } from "../support/client.js";

/** The argument of submitApplication / resubmitApplication accepting the current 参赛须知. */
export const CONSENT = `consentVersion: "${CURRENT_CONSENT_VERSION}"`;

/** Fields of an application most tests look at. */
export const APP_FIELDS = `id state currentLevel revision version title categoryCode levels
  history { action level fromState toState revision comment actorRole actor { name } }`;

/** A case of about 1,150 characters over the eight sections (the 2023 rule is 1000–3000). */
export function sampleCase(title = "以空间为中心的单元教学实践", extra = "") {
  const para = (s: string, n: number) => Array.from({ length: n }, () => s).join("");
  return {
    title,
    byline: "瑞安市实验中学　陈晓明",
    summary: para("本案例介绍依托网络学习空间开展单元整体教学的做法，形成课前、课中、课后一体化流程。", 3),
    background: para("过去课堂以讲授为主，课前预习缺少指导，课后作业反馈不及时，家校沟通渠道分散。", 3),
    process: para("第一阶段完善空间栏目并按单元整理资源；第二阶段利用教学端开展备授课与互动测评；第三阶段组织学生在空间提交作品并互评。", 7),
    results: para("空间累计发布资源三百余条，多条入选省级资源库，学生作业按时完成率明显提高。", 5) + extra,
    features: para("以空间为枢纽整合应用，以数据为依据精准教学，以活动为载体激发参与。", 4),
    reflection: para("部分学生自主学习能力不足，资源更新不够及时，今后将加强系统建设并探索跨校协同。", 3),
  };
}

/** A complete Annex 3 form for a demo teacher (their bound mobile). */
export function fullForm(mobile: string, overrides: Record<string, unknown> = {}) {
  return {
    county: "瑞安市",
    stage: "JUNIOR",
    unitName: "瑞安市实验中学",
    personInCharge: "陈晓明",
    jobTitle: "语文教师",
    mobile,
    spaceUrl: "https://chenxm.zjer.cn/",
    case: sampleCase(),
    newsLinks: ["https://news.example.cn/a/1"],
    ...overrides,
  };
}

/** The campaign configuration as CampaignInput (for updateCampaign), from the campaign query. */
export async function campaignInput(admin: Client, id: string): Promise<Record<string, any>> {
  const d = await admin.gql(
    `query($id: ID!) { campaign(id: $id) { year title docNo issuer issuedOn levels caseMinChars caseMaxChars spaceUrlHosts finalization
        stages { stage name deadline } categories { code name applicantKind criteria quota rubric } } }`,
    { id },
  );
  const c = d.campaign;
  return {
    year: c.year, title: c.title, docNo: c.docNo, issuer: c.issuer, issuedOn: c.issuedOn, levels: c.levels,
    caseMinChars: c.caseMinChars, caseMaxChars: c.caseMaxChars, spaceUrlHosts: c.spaceUrlHosts, finalization: c.finalization,
    stages: c.stages, categories: c.categories,
  };
}

/**
 * A fresh open campaign for a test: a copy of the demo (2023) campaign moved to `year`, with an
 * optional change to its configuration, published. Tests never depend on each other's data.
 */
export async function testCampaign(admin: Client, year: number, change?: (input: Record<string, any>) => void): Promise<string> {
  const list = await admin.gql(`{ campaigns { id year } }`);
  const demo = list.campaigns.find((c: { year: number }) => c.year === 2023);
  const copy = await admin.gql(
    `mutation($s: ID!, $y: Int!, $t: String!) { copyCampaign(sourceId: $s, year: $y, title: $t, docNo: "测试〔${year}〕1号") { id } }`,
    { s: demo.id, y: year, t: `测试活动${year}` },
  );
  const id = copy.copyCampaign.id as string;
  if (change) {
    const input = await campaignInput(admin, id);
    change(input);
    await admin.gql(`mutation($id: ID!, $i: CampaignInput!) { updateCampaign(id: $id, input: $i) { id } }`, { id, i: input });
  }
  await admin.gql(`mutation($id: ID!) { openCampaign(id: $id) { id status } }`, { id });
  return id;
}

/** Creates an application, saves the form and submits it; returns the submitted application. */
export async function applyAndSubmit(c: Client, campaignId: string, category: string, form: Record<string, unknown>): Promise<any> {
  const created = await c.gql(`mutation($c: ID!, $k: String!) { createApplication(campaignId: $c, categoryCode: $k) { id version } }`, { c: campaignId, k: category });
  const saved = await c.gql(`mutation($id: ID!, $v: Int!, $f: ApplicationFormInput!) { saveApplicationDraft(id: $id, version: $v, form: $f) { id version } }`, {
    id: created.createApplication.id,
    v: created.createApplication.version,
    f: form,
  });
  const sub = await c.gql(`mutation($id: ID!, $v: Int!) { submitApplication(id: $id, version: $v, ${CONSENT}) { ${APP_FIELDS} } }`, {
    id: saved.saveApplicationDraft.id,
    v: saved.saveApplicationDraft.version,
  });
  return sub.submitApplication;
}

/**
 * Runs a review mutation (recommendApplication, returnApplication, …) with the application's
 * current version; submitApplication and resubmitApplication accept the current 参赛须知.
 */
export async function review(c: Client, mutation: string, app: { id: string; version: number }, args = ""): Promise<any> {
  if ((mutation === "submitApplication" || mutation === "resubmitApplication") && !/consentVersion/.test(args)) args = args ? `${args}, ${CONSENT}` : CONSENT;
  const d = await c.gql(`mutation($id: ID!, $v: Int!) { ${mutation}(id: $id, version: $v${args ? ", " + args : ""}) { ${APP_FIELDS} } }`, { id: app.id, v: app.version });
  return d[mutation];
}

export async function current(c: Client, id: string): Promise<any> {
  return (await c.gql(`query($id: ID!) { application(id: $id) { ${APP_FIELDS} } }`, { id })).application;
}

/**
 * Teachers for load tests: accounts created in the database directly (there is no self-service
 * account creation), with the demo password's hash, at a school under `schoolCode`.
 */
export async function makeTeachers(db: Db, n: number, schoolCode: string, prefix: string, baseUrl: string): Promise<Client[]> {
  const school = await db.one<{ id: string; path: string }>(`SELECT id, path FROM org_unit WHERE code = $1`, [schoolCode]);
  const hash = await db.one<{ password_hash: string }>(`SELECT password_hash FROM app_user WHERE account = 'ra_teacher1'`);
  const clients: Client[] = [];
  for (let i = 0; i < n; i++) {
    const account = `${prefix}${String(i).padStart(3, "0")}`;
    const phone = `139${String(10_000_000 + i).slice(-8)}`;
    const u = await db.one<{ id: string }>(
      `INSERT INTO app_user (account, name, phone, home_unit_id, unit_path, password_hash) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [account, `测试教师${i}`, phone, school!.id, school!.path, hash!.password_hash],
    );
    await db.exec(`INSERT INTO role_assignment (user_id, role, unit_id) VALUES ($1, 'TEACHER', $2)`, [u!.id, school!.id]);
    const c = await loginAs(baseUrl, account);
    (c as Client & { phone: string }).phone = phone;
    clients.push(c);
  }
  return clients;
}
