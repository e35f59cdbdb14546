import type { DemoSeeder } from "../../db/demo-seeder.js";
import { RESCORE_CHUNK_ACCOUNTS, prepareLines } from "./activity-ingest.service.js";
import { rescoreAccounts, storeEvents } from "./activity.repository.js";

/**
 * Demo activity: a deterministic year (2023) of platform events for the demo teachers, so the
 * dashboards, rankings and below-target lists have something to show. Teachers differ in how
 * active they are (some reach the yearly target of 300, some do not); school holidays (winter
 * around the Spring Festival, summer) are quiet; the retired teacher stops in April.
 */

/** Account → share of school days with activity, and the last active month (retired). */
const PROFILES: [account: string, activeShare: number, untilMonth?: number][] = [
  ["hz_teacher1", 0.42],
  ["ra_teacher3", 0.34],
  ["ra_teacher1", 0.28],
  ["ra_school_admin", 0.24],
  ["lc_teacher1", 0.22],
  ["nb_teacher1", 0.2],
  ["ra_teacher2", 0.16],
  ["hz_teacher2", 0.13],
  ["oh_teacher1", 0.09],
  ["pb_teacher1", 0.07],
  ["ra_teacher4", 0.03],
  ["ra_teacher_retired", 0.3, 4],
];

const APPS = ["名师工作室", "学科基地校", "网络教研", "微课网", "学科学习平台"];

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number) => (n < 10 ? "0" : "") + n;

/** Winter holiday (Spring Festival 2023: late January to mid February) and summer holiday. */
function holiday(month: number, day: number): boolean {
  return (month === 1 && day >= 14) || (month === 2 && day < 6) || month === 7 || month === 8;
}

export function demoActivityLines(year = 2023): string[] {
  const random = rng(2023);
  const lines: string[] = [];
  let id = 0;
  const add = (e: Record<string, unknown>) => lines.push(JSON.stringify({ id: `demo${year}-${++id}`, ...e }));
  PROFILES.forEach(([account, share, untilMonth], t) => {
    const at = (m: number, d: number, h: number, min: number) => `${year}-${pad(m)}-${pad(d)}T${pad(h)}:${pad(min)}:00+08:00`;
    const mobile = () => (random() < 0.45 ? "mobile" : "pc");
    add({ type: "profile_item", userId: account, item: "avatar", at: at(1, 3, 9, 0) });
    if (share > 0.1) for (const item of ["contact", "affiliation", "subject"]) add({ type: "profile_item", userId: account, item, at: at(1, 3, 9, 5) });
    let task = 0;
    let resource = 0;
    for (let m = 1; m <= (untilMonth ?? 12); m++) {
      const days = new Date(Date.UTC(year, m, 0)).getUTCDate();
      for (let d = 1; d <= days; d++) {
        const weekday = new Date(Date.UTC(year, m - 1, d)).getUTCDay();
        const schoolDay = weekday >= 1 && weekday <= 5 && !holiday(m, d);
        if (random() >= (schoolDay ? share : share / 8)) continue;
        add({ type: "login", userId: account, at: at(m, d, 7, Math.floor(random() * 50)), client: mobile() });
        if (!schoolDay) continue;
        const lessons = Math.floor(random() * 3);
        for (let k = 0; k < lessons; k++) add({ type: "lesson", userId: account, minutes: 40, at: at(m, d, 8 + 2 * k, 10), client: mobile() });
        if (random() < 0.6) for (let k = 0; k < 2; k++) add({ type: "mobile_op", userId: account, op: "message", at: at(m, d, 12, 10 + k), client: "mobile" });
        if (random() < 0.25) add({ type: "app_use", userId: account, app: APPS[Math.floor(random() * APPS.length)], at: at(m, d, 14, 0), client: mobile() });
        if (random() < 0.15) {
          const counterparts = 4 + Math.floor(random() * 8);
          for (let k = 0; k < counterparts; k++) add({ type: "interaction", userId: account, counterpartId: `demo-s${t}-${k}`, at: at(m, d, 16, k), client: mobile() });
        }
        if (random() < 0.08) {
          const taskId = `demo-k${t}-${++task}`;
          add({ type: "task_published", userId: account, taskId, at: at(m, d, 9, 30) });
          const students = 6 + Math.floor(random() * 10);
          for (let k = 0; k < students; k++) add({ type: "task_engaged", taskId, studentId: `demo-s${t}-${k}`, at: at(m, d, 19, k), client: "mobile" });
        }
        if (random() < 0.05) {
          const resourceId = `demo-r${t}-${++resource}`;
          add({ type: "resource_review", ownerId: account, resourceId, level: "county", outcome: "approved", at: at(m, d, 10, 0) });
          if (random() < 0.5) add({ type: "resource_review", ownerId: account, resourceId, level: "city", outcome: "approved", at: at(m, d, 15, 0) });
          for (let k = 0; k < 3; k++) {
            add({ type: "resource_spread", userId: `demo-v${t}-${k}`, ownerId: account, resourceId, action: "view", at: at(m, d, 20, k), client: mobile() });
          }
        }
      }
    }
  });
  return lines;
}

export const activitySeeder: DemoSeeder = {
  name: "activity-2023",
  async run(tx) {
    const prepared = prepareLines(demoActivityLines().map((text, i) => ({ text, line: i + 1 })));
    const { accounts } = await storeEvents(tx, prepared.events, { copy: false });
    for (let i = 0; i < accounts.length; i += RESCORE_CHUNK_ACCOUNTS) await rescoreAccounts(tx, accounts.slice(i, i + RESCORE_CHUNK_ACCOUNTS));
  },
};
