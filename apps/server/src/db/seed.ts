import { hashPassword } from "../modules/auth/password.js";
import type { Db, Tx } from "./data-source.js";
import { logger } from "../logger.js";
import { lockSeedMarkers, markSeeded, seedInsertRole, seedInsertUnit, seedInsertUser, seedUnitByCode } from "../modules/org/org.repository.js";
import divisionsJson from "./seed-data/zhejiang-divisions.json" with { type: "json" };

interface Divisions {
  code: string;
  name: string;
  cities: { code: string; name: string; counties: { code: string; name: string }[] }[];
}

const divisions = (): Divisions => divisionsJson as Divisions;

/** Inserts a unit under `parent` (or as the root) and sets its materialized path; returns id and path. */
export async function insertUnit(
  tx: Pick<Tx, "one">,
  u: { kind: string; code: string | null; name: string },
  parent: { id: string; path: string; depth: number; city_id: string | null; county_id: string | null } | null,
): Promise<{ id: string; path: string; depth: number; city_id: string | null; county_id: string | null }> {
  const row = await seedInsertUnit(tx, {
    kind: u.kind, code: u.code, name: u.name, parentId: parent?.id ?? null, depth: parent ? parent.depth + 1 : 0, parentPath: parent?.path ?? "/",
    cityId: parent?.city_id ?? null, countyId: parent?.county_id ?? null,
  });
  if (!row) throw new Error(`seed: inserting unit ${u.code ?? u.name} returned no row`);
  return row;
}

/** The province, its 11 cities and every county-level unit, with their real GB/T 2260 codes. */
async function seedOrgTree(tx: Tx): Promise<void> {
  const d = divisions();
  const province = await insertUnit(tx, { kind: "PROVINCE", code: d.code, name: d.name }, null);
  for (const c of d.cities) {
    const city = await insertUnit(tx, { kind: "CITY", code: c.code, name: c.name }, province);
    for (const k of c.counties) await insertUnit(tx, { kind: "COUNTY", code: k.code, name: k.name }, city);
  }
}

export const DEMO_PASSWORD = "Demo@2023";

type UnitRef = { id: string; path: string; depth: number; city_id: string | null; county_id: string | null };

async function unitByCode(tx: Tx, code: string): Promise<UnitRef> {
  const u = await seedUnitByCode(tx, code);
  if (!u) throw new Error(`seed: unit ${code} missing`);
  return u;
}

/**
 * Demo schools, teachers and one account per role (README lists them). All demo accounts share
 * the documented demo password; it is hashed once.
 */
async function seedDemo(tx: Tx): Promise<void> {
  const hash = await hashPassword(DEMO_PASSWORD);
  const school = async (countyOrParentCode: string, code: string, name: string, kind = "SCHOOL") =>
    insertUnit(tx, { kind, code, name }, await unitByCode(tx, countyOrParentCode));

  const ruian = await unitByCode(tx, "330381");
  const anyangDistrict = await insertUnit(tx, { kind: "DISTRICT", code: "D330381001", name: "瑞安市安阳学区" }, ruian);
  const units: Record<string, UnitRef> = {
    "3303810001": await school("330381", "3303810001", "瑞安市实验中学"),
    "3303810002": await insertUnit(tx, { kind: "SCHOOL", code: "3303810002", name: "瑞安市安阳实验小学" }, anyangDistrict),
    "3303810003": await school("330381", "3303810003", "瑞安市塘下中学"),
    "3303020001": await school("330302", "3303020001", "温州市广场路小学"),
    "3303040001": await school("330304", "3303040001", "温州市瓯海区实验小学"),
    "3301060001": await school("330106", "3301060001", "杭州市学军小学"),
    "3301060002": await school("330106", "3301060002", "杭州市西湖小学"),
    "3302030001": await school("330203", "3302030001", "宁波市海曙中心小学"),
    "3307020001": await school("330702", "3307020001", "金华市婺城区第一小学"),
    PB3303000001: await school("330300", "PB3303000001", "温州市青少年科技实践教育基地", "PRACTICE_BASE"),
  };
  const unit = async (code: string) => units[code] ?? (await unitByCode(tx, code));

  type Demo = { account: string; name: string; home: string; roles: [string, string][]; subject?: string; stage?: string; phone?: string; locked?: string };
  const demo: Demo[] = [
    { account: "prov_admin", name: "省平台管理员", home: "330000", roles: [["PROVINCE_ADMIN", "330000"]] },
    { account: "wz_city", name: "温州市电教馆审核员", home: "330300", roles: [["CITY_REVIEWER", "330300"]] },
    { account: "hz_city", name: "杭州市电教馆审核员", home: "330100", roles: [["CITY_REVIEWER", "330100"]] },
    { account: "ra_county", name: "瑞安市教育技术中心审核员", home: "330381", roles: [["COUNTY_REVIEWER", "330381"]] },
    { account: "lc_county", name: "鹿城区教育技术中心审核员", home: "330302", roles: [["COUNTY_REVIEWER", "330302"]] },
    { account: "xh_county", name: "西湖区教育技术中心审核员", home: "330106", roles: [["COUNTY_REVIEWER", "330106"]] },
    { account: "ra_school_admin", name: "林晓东", home: "3303810001", roles: [["SCHOOL_ADMIN", "3303810001"], ["TEACHER", "3303810001"]], subject: "信息技术", stage: "初中" },
    { account: "ra_teacher1", name: "陈晓明", home: "3303810001", roles: [["TEACHER", "3303810001"]], subject: "语文", stage: "初中", phone: "13857700001" },
    { account: "ra_teacher2", name: "王丽华", home: "3303810001", roles: [["TEACHER", "3303810001"]], subject: "数学", stage: "初中", phone: "13857700002" },
    { account: "ra_teacher3", name: "张海燕", home: "3303810002", roles: [["TEACHER", "3303810002"]], subject: "英语", stage: "小学", phone: "13857700003" },
    { account: "ra_teacher4", name: "李建国", home: "3303810003", roles: [["TEACHER", "3303810003"]], subject: "科学", stage: "初中", phone: "13857700004" },
    { account: "ra_teacher_retired", name: "周德明", home: "3303810001", roles: [["TEACHER", "3303810001"]], subject: "物理", stage: "初中", locked: "退休" },
    { account: "lc_teacher1", name: "黄思琪", home: "3303020001", roles: [["TEACHER", "3303020001"]], subject: "语文", stage: "小学", phone: "13857700011" },
    { account: "oh_teacher1", name: "吴志强", home: "3303040001", roles: [["TEACHER", "3303040001"]], subject: "数学", stage: "小学", phone: "13857700021" },
    { account: "hz_teacher1", name: "刘雨桐", home: "3301060001", roles: [["TEACHER", "3301060001"]], subject: "语文", stage: "小学", phone: "13957100001" },
    { account: "hz_teacher2", name: "孙浩然", home: "3301060002", roles: [["TEACHER", "3301060002"]], subject: "数学", stage: "小学", phone: "13957100002" },
    { account: "nb_teacher1", name: "郑佳怡", home: "3302030001", roles: [["TEACHER", "3302030001"]], subject: "英语", stage: "小学", phone: "13957400001" },
    { account: "pb_teacher1", name: "何志远", home: "PB3303000001", roles: [["TEACHER", "PB3303000001"]], subject: "科学", stage: "初中", phone: "13857700031" },
    { account: "expert_hz", name: "杭州专家·沈教授", home: "3301060001", roles: [["EXPERT", "330000"]] },
    { account: "expert_nb", name: "宁波专家·钱老师", home: "3302030001", roles: [["EXPERT", "330000"]] },
    { account: "expert_jh", name: "金华专家·冯老师", home: "3307020001", roles: [["EXPERT", "330000"]] },
    { account: "expert_wz", name: "温州专家·蒋老师", home: "3303020001", roles: [["EXPERT", "330000"]] },
  ];
  for (const d of demo) {
    const home = await unit(d.home);
    const userId = await seedInsertUser(tx, {
      account: d.account, name: d.name, phone: d.phone ?? null, subject: d.subject ?? null, stage: d.stage ?? null, homeUnitId: home.id, unitPath: home.path,
      passwordHash: hash, locked: !!d.locked, lockedReason: d.locked ?? null,
    });
    for (const [role, code] of d.roles) {
      const at = await unit(code);
      await seedInsertRole(tx, userId, role, at.id);
    }
  }
}

export type { DemoSeeder } from "./demo-seeder.js";

/**
 * Idempotent: the org tree loads once (by the province code), demo data once (by a marker row
 * in seed_marker), so restarts never duplicate anything.
 */
export async function seed(db: Db, opts: { demo: boolean }): Promise<void> {
  await db.tx(async (tx) => {
    // Serializes concurrent first starts of several API processes on one PostgreSQL.
    const done = await lockSeedMarkers(tx);
    if (!done.has("org-tree")) {
      await seedOrgTree(tx);
      await markSeeded(tx, "org-tree");
      logger.info("seeded the Zhejiang org tree");
    }
    if (opts.demo && !done.has("demo")) {
      await seedDemo(tx);
      await markSeeded(tx, "demo");
      logger.info("seeded demo schools and accounts");
    }
    if (opts.demo) {
      // Loaded only for demo data: the seeders reach modules with TypeGraphQL decorators, which
      // need the metadata polyfill (and compiled metadata); a production seed (pnpm admin) runs
      // from the TypeScript sources without them.
      await import("reflect-metadata");
      const { demoSeeders } = await import("./demo-seeders.js");
      for (const s of demoSeeders) {
        if (done.has("demo:" + s.name)) continue;
        await s.run(tx);
        await markSeeded(tx, "demo:" + s.name);
      }
    }
  });
}
