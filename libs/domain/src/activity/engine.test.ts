import { describe, expect, it } from "vitest";
import { RULE_NAMES, type RuleName } from "./rule-set.js";
import { ActivityScoringSession, scoreEventFile } from "./session.js";
import { formatReport, type ActivityReport, type UserActivity } from "./report.js";

/** Shanghai wall-clock timestamp. */
const sh = (day: string, time = "10:00:00") => `${day}T${time}+08:00`;

type Ev = Record<string, unknown>;
function lines(events: Ev[]): string[] {
  return events.map((e, i) => JSON.stringify({ id: `e${i + 1}`, ...e }));
}
function score(events: Ev[], year?: number): ActivityReport {
  return scoreEventFile(lines(events), { year: year ?? null });
}
function rules(partial: Partial<Record<RuleName, number>>): Record<RuleName, number> {
  const out = {} as Record<RuleName, number>;
  for (const r of RULE_NAMES) out[r] = partial[r] ?? 0;
  return out;
}
function user(report: ActivityReport, id = "t1"): UserActivity | undefined {
  return report.users[id];
}
function days(from: string, count: number): string[] {
  const out: string[] = [];
  const d = new Date(`${from}T00:00:00Z`);
  for (let i = 0; i < count; i++) {
    out.push(new Date(d.getTime() + i * 86_400_000).toISOString().slice(0, 10));
  }
  return out;
}
const login = (day: string, extra: Ev = {}): Ev => ({ type: "login", userId: "t1", at: sh(day), ...extra });

interface Case {
  name: string;
  events: Ev[];
  /** Expected rule totals of t1 (the rest 0); undefined: t1 must not appear. */
  expect: Partial<Record<RuleName, number>> | undefined;
  mobile?: number;
  year?: number;
  months?: Record<string, number>;
}

function runCases(cases: Case[]): void {
  it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const report = score(c.events, c.year);
    expect(report.errors).toEqual([]);
    const u = user(report);
    if (c.expect === undefined) {
      expect(u).toBeUndefined();
      return;
    }
    expect(u).toBeDefined();
    const r = rules(c.expect);
    expect(u!.rules).toEqual(r);
    expect(u!.total).toBe(Object.values(r).reduce((a, b) => a + b, 0));
    if (c.mobile !== undefined) expect(u!.mobile).toBe(c.mobile);
    if (c.months !== undefined) expect(u!.months).toEqual(c.months);
  });
}

describe("login", () => {
  runCases([
    { name: "one login a day earns 1", events: [login("2018-03-01")], expect: { login: 1 }, mobile: 0 },
    { name: "several logins the same day earn 1", events: [login("2018-03-01"), login("2018-03-01"), login("2018-03-01")], expect: { login: 1 } },
    { name: "three separate days earn 3", events: days("2018-03-01", 3).map((d) => login(d)), expect: { login: 3 } },
    { name: "the 6th consecutive day still earns 1", events: days("2018-03-01", 6).map((d) => login(d)), expect: { login: 6 } },
    { name: "the 7th consecutive day earns 2", events: days("2018-03-01", 7).map((d) => login(d)), expect: { login: 8 } },
    { name: "the 8th and 9th consecutive days earn 2 each", events: days("2018-03-01", 9).map((d) => login(d)), expect: { login: 12 } },
    {
      name: "a missed day restarts the streak",
      events: [...days("2018-03-01", 6), ...days("2018-03-08", 7)].map((d) => login(d)),
      // 6 × 1, then 6 × 1 + 2 on the 7th day of the new streak.
      expect: { login: 6 + 8 },
    },
    {
      name: "logins inside a day do not extend it (two logins on each of 6 days)",
      events: days("2018-03-01", 6).flatMap((d) => [login(d), login(d, { at: sh(d, "20:00:00") })]),
      expect: { login: 6 },
    },
    {
      name: "a streak runs across New Year",
      events: days("2017-12-28", 9).map((d) => login(d)),
      expect: { login: 6 + 2 * 3 },
    },
    {
      name: "--year 2018 still sees the streak that began in 2017",
      events: days("2017-12-28", 9).map((d) => login(d)),
      year: 2018,
      // 2018-01-01 is the 5th day, 01-02 the 6th, 01-03..05 the 7th to 9th.
      expect: { login: 1 + 1 + 2 + 2 + 2 },
      months: { "2018-01": 8 },
    },
    {
      name: "--year 2017 reports only the 2017 days",
      events: days("2017-12-28", 9).map((d) => login(d)),
      year: 2017,
      expect: { login: 4 },
      months: { "2017-12": 4 },
    },
    {
      name: "a UTC login at 15:59:59Z and one at 16:00:00Z fall on two Shanghai days",
      events: [
        { type: "login", userId: "t1", at: "2018-03-01T15:59:59Z" },
        { type: "login", userId: "t1", at: "2018-03-01T16:00:00Z" },
      ],
      expect: { login: 2 },
    },
    {
      name: "logins at 16:00Z and 23:59Z are the same Shanghai day",
      events: [
        { type: "login", userId: "t1", at: "2018-03-01T16:00:00Z" },
        { type: "login", userId: "t1", at: "2018-03-02T15:59:59.999Z" },
      ],
      expect: { login: 1 },
    },
    {
      name: "a UTC timestamp after 16:00Z on 31 December belongs to the next year",
      events: [{ type: "login", userId: "t1", at: "2017-12-31T16:30:00Z" }],
      year: 2018,
      expect: { login: 1 },
      months: { "2018-01": 1 },
    },
    {
      name: "other offsets are converted to Shanghai days (-05:00 evening = next Shanghai day)",
      events: [
        { type: "login", userId: "t1", at: "2018-03-01T20:00:00-05:00" },
        { type: "login", userId: "t1", at: "2018-03-02T10:00:00+08:00" },
      ],
      expect: { login: 1 },
    },
    {
      name: "mobile: the day's first login decides (mobile first)",
      events: [login("2018-03-01", { client: "mobile" }), login("2018-03-01", { client: "pc", at: sh("2018-03-01", "11:00:00") })],
      expect: { login: 1 },
      mobile: 1,
    },
    {
      name: "mobile: the day's first login decides (pc first)",
      events: [login("2018-03-01", { client: "pc" }), login("2018-03-01", { client: "mobile", at: sh("2018-03-01", "11:00:00") })],
      expect: { login: 1 },
      mobile: 0,
    },
    {
      name: "mobile: the first login of a streak day brings 2 mobile points",
      events: days("2018-03-01", 7).map((d) => login(d, { client: "mobile" })),
      expect: { login: 8 },
      mobile: 8,
    },
  ]);
});

const item = (it: string, extra: Ev = {}): Ev => ({ type: "profile_item", userId: "t1", item: it, at: sh("2018-03-01"), ...extra });

describe("profile", () => {
  runCases([
    { name: "four distinct items earn 5", events: ["avatar", "contact", "affiliation", "subject"].map((i) => item(i)), expect: { profile: 5 } },
    { name: "three items earn nothing", events: ["avatar", "contact", "affiliation"].map((i) => item(i)), expect: undefined },
    { name: "one item recorded four times earns nothing", events: [1, 2, 3, 4].map(() => item("avatar")), expect: undefined },
    {
      name: "earned once only, even when items are recorded again",
      events: [...["avatar", "contact", "affiliation", "subject"], ...["avatar", "contact", "affiliation", "subject"]].map((i) => item(i)),
      expect: { profile: 5 },
    },
    {
      name: "on the day the fourth distinct item is first recorded",
      events: [
        item("avatar", { at: sh("2018-02-10") }),
        item("contact", { at: sh("2018-02-11") }),
        item("avatar", { at: sh("2018-02-12") }),
        item("affiliation", { at: sh("2018-03-02") }),
        item("contact", { at: sh("2018-03-05") }),
        item("subject", { at: sh("2018-04-01") }),
      ],
      expect: { profile: 5 },
      months: { "2018-04": 5 },
    },
    {
      name: "mobile when the fourth item's event is mobile",
      events: [item("avatar"), item("contact"), item("affiliation"), item("subject", { client: "mobile" })],
      expect: { profile: 5 },
      mobile: 5,
    },
    {
      name: "not mobile when only earlier items were mobile",
      events: [item("avatar", { client: "mobile" }), item("contact", { client: "mobile" }), item("affiliation", { client: "mobile" }), item("subject")],
      expect: { profile: 5 },
      mobile: 0,
    },
  ]);
});

const op = (day = "2018-03-01", extra: Ev = {}): Ev => ({ type: "mobile_op", userId: "t1", op: "message", at: sh(day), ...extra });

describe("mobile_use", () => {
  runCases([
    { name: "1 per operation", events: [op()], expect: { mobile_use: 1 } },
    { name: "cap 2 per day", events: [op(), op(), op(), op()], expect: { mobile_use: 2 } },
    { name: "the cap is per day", events: [op("2018-03-01"), op("2018-03-01"), op("2018-03-01"), op("2018-03-02")], expect: { mobile_use: 3 } },
    { name: "mobile only when the event says client mobile", events: [op(), op("2018-03-01", { client: "mobile" })], expect: { mobile_use: 2 }, mobile: 1 },
    {
      name: "the earliest events earn (file order is not time order)",
      events: [
        op("2018-03-01", { at: sh("2018-03-01", "12:00:00"), client: "pc" }),
        op("2018-03-01", { at: sh("2018-03-01", "09:00:00"), client: "mobile" }),
        op("2018-03-01", { at: sh("2018-03-01", "10:00:00"), client: "mobile" }),
      ],
      expect: { mobile_use: 2 },
      mobile: 2,
    },
  ]);
});

const spread = (actor: string, resourceId = "r1", extra: Ev = {}): Ev => ({
  type: "resource_spread",
  userId: actor,
  ownerId: "t1",
  resourceId,
  action: "download",
  at: sh("2018-03-01"),
  ...extra,
});

describe("spread", () => {
  const actors = (n: number) => Array.from({ length: n }, (_, i) => `s${i + 1}`);
  runCases([
    { name: "1 to the owner per distinct actor", events: [spread("s1")], expect: { spread: 1 } },
    { name: "the same actor counts once per resource", events: [spread("s1"), spread("s1", "r1", { action: "favorite" })], expect: { spread: 1 } },
    { name: "the owner's own actions earn nothing", events: [spread("t1")], expect: undefined },
    { name: "cap 2 per owner per day", events: actors(3).map((a) => spread(a)), expect: { spread: 2 } },
    {
      name: "the cap is per owner across resources",
      events: [spread("s1", "r1"), spread("s2", "r2"), spread("s3", "r3")],
      expect: { spread: 2 },
    },
    {
      name: "a pair stopped by the daily cap never earns later",
      events: [...actors(3).map((a) => spread(a)), spread("s3", "r1", { at: sh("2018-03-02") })],
      expect: { spread: 2 },
    },
    {
      name: "a new actor on the next day earns",
      events: [...actors(3).map((a) => spread(a)), spread("s4", "r1", { at: sh("2018-03-02") })],
      expect: { spread: 3 },
    },
    {
      name: "the same actor on another resource is another pair",
      events: [spread("s1", "r1"), spread("s1", "r2")],
      expect: { spread: 2 },
    },
    {
      name: "cap 50 per resource over its life",
      events: days("2018-03-01", 30).flatMap((d, i) => [spread(`s${2 * i}`, "r1", { at: sh(d) }), spread(`s${2 * i + 1}`, "r1", { at: sh(d) })]),
      expect: { spread: 50 },
    },
    {
      name: "a resource at its life cap does not stop the owner's other resources",
      events: [
        ...days("2018-03-01", 25).flatMap((d, i) => [spread(`s${2 * i}`, "r1", { at: sh(d) }), spread(`s${2 * i + 1}`, "r1", { at: sh(d) })]),
        spread("x1", "r1", { at: sh("2018-04-01") }),
        spread("x2", "r2", { at: sh("2018-04-01") }),
      ],
      expect: { spread: 51 },
    },
    {
      name: "nothing after the resource is deleted; earlier spread points stay",
      events: [
        spread("s1"),
        { type: "resource_deleted", ownerId: "t1", resourceId: "r1", at: sh("2018-03-02") },
        spread("s2", "r1", { at: sh("2018-03-03") }),
      ],
      expect: { spread: 1 },
    },
    {
      name: "mobile when the spreading actor's event is mobile",
      events: [spread("s1", "r1", { client: "mobile" }), spread("s2")],
      expect: { spread: 2 },
      mobile: 1,
    },
    {
      name: "a resourceId under another owner is another resource",
      events: [spread("s1", "r1"), { type: "resource_spread", userId: "s2", ownerId: "t2", resourceId: "r1", at: sh("2018-03-01") }],
      expect: { spread: 1 },
    },
  ]);
});

const review = (level: string, extra: Ev = {}): Ev => ({
  type: "resource_review",
  ownerId: "t1",
  resourceId: "r1",
  level,
  outcome: "approved",
  at: sh("2018-03-01"),
  ...extra,
});
const deleted = (day: string, extra: Ev = {}): Ev => ({ type: "resource_deleted", ownerId: "t1", resourceId: "r1", at: sh(day), ...extra });

describe("submission", () => {
  runCases([
    { name: "county approval earns 3", events: [review("county")], expect: { submission: 3 } },
    { name: "city approval earns 7", events: [review("city")], expect: { submission: 7 } },
    { name: "province approval earns 10", events: [review("province")], expect: { submission: 10 } },
    { name: "all three levels earn 20", events: [review("county"), review("city"), review("province")], expect: { submission: 20 } },
    { name: "each level once per resource", events: [review("county"), review("county", { at: sh("2018-03-02") })], expect: { submission: 3 } },
    { name: "no daily cap", events: ["r1", "r2", "r3", "r4"].map((r) => review("province", { resourceId: r })), expect: { submission: 40 } },
    { name: "an outcome other than approved earns nothing", events: [review("county", { outcome: "rejected" }), review("city", { outcome: "returned" })], expect: undefined },
    {
      name: "a rejection does not use up the level",
      events: [review("county", { outcome: "rejected" }), review("county", { at: sh("2018-03-02") })],
      expect: { submission: 3 },
    },
    {
      name: "deletion takes back all submission points on the deletion day",
      events: [review("county"), review("city"), deleted("2018-04-10")],
      expect: { submission: 0 },
      months: { "2018-03": 10, "2018-04": -10 },
    },
    {
      name: "a deletion in the same month nets to zero and the user still appears",
      events: [review("county"), deleted("2018-03-20")],
      expect: { submission: 0 },
      months: {},
    },
    {
      name: "a review after the deletion earns nothing",
      events: [review("county"), deleted("2018-03-02"), review("city", { at: sh("2018-03-03") })],
      expect: { submission: 0 },
    },
    {
      name: "a second deletion takes nothing more",
      events: [review("county"), deleted("2018-03-02"), deleted("2018-03-03")],
      expect: { submission: 0 },
      months: {},
    },
    { name: "deleting a resource that earned nothing records nothing", events: [deleted("2018-03-02")], expect: undefined },
    {
      name: "deletion in a later year with --year: the year sees only the deduction",
      events: [review("county"), review("province"), deleted("2019-01-05")],
      year: 2019,
      expect: { submission: -13 },
      mobile: 0,
      months: { "2019-01": -13 },
    },
    {
      name: "the earlier year keeps its awards under --year",
      events: [review("county"), review("province"), deleted("2019-01-05")],
      year: 2018,
      expect: { submission: 13 },
    },
    {
      name: "mobile from the review event; deductions never change mobile",
      events: [review("county", { client: "mobile" }), review("city"), deleted("2018-03-05", { client: "mobile" })],
      expect: { submission: 0 },
      mobile: 3,
    },
    {
      name: "spread points stay after deletion",
      events: [review("county"), spread("s1"), deleted("2018-03-05")],
      expect: { spread: 1, submission: 0 },
    },
  ]);
});

const lesson = (day = "2018-03-01", extra: Ev = {}): Ev => ({ type: "lesson", userId: "t1", minutes: 40, at: sh(day), ...extra });

describe("lesson", () => {
  runCases([
    { name: "5 per lesson", events: [lesson()], expect: { lesson: 5 } },
    { name: "cap 10 per day", events: [lesson(), lesson(), lesson()], expect: { lesson: 10 } },
    { name: "the cap is per day", events: [lesson(), lesson(), lesson(), lesson("2018-03-02")], expect: { lesson: 15 } },
    { name: "mobile per lesson event", events: [lesson("2018-03-01", { client: "mobile" }), lesson("2018-03-01", { client: "pc" })], expect: { lesson: 10 }, mobile: 5 },
    {
      name: "a lesson beyond the cap brings no mobile points",
      events: [lesson(), lesson(), lesson("2018-03-01", { client: "mobile", at: sh("2018-03-01", "11:00:00") })],
      expect: { lesson: 10 },
      mobile: 0,
    },
  ]);
});

const publish = (taskId = "k1", extra: Ev = {}): Ev => ({ type: "task_published", userId: "t1", taskId, at: sh("2018-03-01", "08:00:00"), ...extra });
const engage = (student: string, taskId = "k1", extra: Ev = {}): Ev => ({ type: "task_engaged", taskId, studentId: student, at: sh("2018-03-01"), ...extra });
const students = (n: number, taskId = "k1", extra: Ev = {}, from = 1) => Array.from({ length: n }, (_, i) => engage(`s${i + from}`, taskId, extra));

describe("task", () => {
  runCases([
    { name: "10 distinct students earn 5", events: [publish(), ...students(10)], expect: { task: 5 } },
    { name: "9 distinct students earn nothing", events: [publish(), ...students(9), engage("s1"), engage("s2")], expect: undefined },
    { name: "more than 10 students still earn 5 once", events: [publish(), ...students(25)], expect: { task: 5 } },
    {
      name: "on the day of the 10th distinct student",
      events: [publish(), ...students(5), ...students(5, "k1", { at: sh("2018-04-02") }, 6)],
      expect: { task: 5 },
      months: { "2018-04": 5 },
    },
    { name: "engagements of a task nobody published earn nothing", events: [...students(12, "k9")], expect: undefined },
    {
      name: "engagements before the publication do not count",
      events: [...students(5, "k1", { at: sh("2018-03-01", "07:00:00") }), publish(), ...students(9, "k1", {}, 6)],
      expect: undefined,
    },
    {
      name: "a student who engaged before publication counts when engaging again after it",
      events: [...students(5, "k1", { at: sh("2018-03-01", "07:00:00") }), publish(), ...students(10, "k1", {}, 1)],
      expect: { task: 5 },
    },
    {
      name: "a publication listed after the engagements but earlier in time counts",
      events: [...students(10), publish()],
      expect: { task: 5 },
    },
    {
      name: "an engagement at the publication's instant counts only when listed after it",
      events: [...students(1, "k1", { at: sh("2018-03-01", "08:00:00") }), publish(), ...students(9, "k1", {}, 2)],
      expect: undefined,
    },
    {
      name: "cap 5 per teacher per day: a second task reaching 10 the same day earns nothing, ever",
      events: [publish("k1"), publish("k2"), ...students(10, "k1"), ...students(10, "k2"), ...students(5, "k2", { at: sh("2018-03-02") }, 11)],
      expect: { task: 5 },
    },
    {
      name: "two tasks reaching 10 on different days earn 10",
      events: [publish("k1"), publish("k2"), ...students(10, "k1"), ...students(10, "k2", { at: sh("2018-03-02") })],
      expect: { task: 10 },
    },
    {
      name: "mobile when the 10th distinct student's event is mobile",
      events: [publish(), ...students(9), engage("s10", "k1", { client: "mobile" })],
      expect: { task: 5 },
      mobile: 5,
    },
    {
      name: "not mobile when earlier engagements were mobile but the 10th was not",
      events: [publish("k1", { client: "mobile" }), ...students(9, "k1", { client: "mobile" }), engage("s10")],
      expect: { task: 5 },
      mobile: 0,
    },
    {
      name: "a task belongs to its first publisher",
      events: [publish("k1"), publish("k1", { userId: "t2", at: sh("2018-03-01", "09:00:00") }), ...students(10)],
      expect: { task: 5 },
    },
  ]);

  it("does not award a later publisher of the same task", () => {
    const r = score([publish("k1"), publish("k1", { userId: "t2", at: sh("2018-03-01", "09:00:00") }), ...students(10)]);
    expect(r.users.t2).toBeUndefined();
  });
});

const talk = (cp: string, day = "2018-03-01", extra: Ev = {}): Ev => ({ type: "interaction", userId: "t1", counterpartId: cp, at: sh(day), ...extra });
const talks = (n: number, day = "2018-03-01", extra: Ev = {}) => Array.from({ length: n }, (_, i) => talk(`p${i + 1}`, day, extra));

describe("interaction", () => {
  runCases([
    { name: "4 counterparts earn nothing", events: talks(4), expect: undefined },
    { name: "5 counterparts earn 3", events: talks(5), expect: { interaction: 3 } },
    { name: "9 counterparts earn 3", events: talks(9), expect: { interaction: 3 } },
    { name: "10 counterparts earn 5", events: talks(10), expect: { interaction: 5 } },
    { name: "15 counterparts earn 5", events: talks(15), expect: { interaction: 5 } },
    { name: "a counterpart counts once a day", events: [...talks(4), talk("p1"), talk("p2")], expect: undefined },
    { name: "counted per day", events: [...talks(4, "2018-03-01"), ...talks(4, "2018-03-02")], expect: undefined },
    { name: "the same counterparts on two days earn twice", events: [...talks(5, "2018-03-01"), ...talks(5, "2018-03-02")], expect: { interaction: 6 } },
    {
      name: "mobile: the 5th and the 10th counterpart's events",
      events: [...talks(4), talk("p5", "2018-03-01", { client: "mobile" }), ...talks(9).slice(5), talk("p10", "2018-03-01", { client: "mobile" })],
      expect: { interaction: 5 },
      mobile: 5,
    },
    {
      name: "mobile: only the 10th",
      events: [...talks(9), talk("p10", "2018-03-01", { client: "mobile" })],
      expect: { interaction: 5 },
      mobile: 2,
    },
    {
      name: "mobile: only the 5th",
      events: [...talks(4, "2018-03-01", { client: "mobile" }), talk("p5", "2018-03-01", { client: "mobile" }), ...talks(10).slice(5)],
      expect: { interaction: 5 },
      mobile: 3,
    },
  ]);
});

const app = (name: string, day = "2018-03-01", extra: Ev = {}): Ev => ({ type: "app_use", userId: "t1", app: name, at: sh(day), ...extra });

describe("app", () => {
  runCases([
    { name: "2 per app per day", events: [app("网络教研")], expect: { app: 2 } },
    { name: "the same app twice a day earns 2", events: [app("网络教研"), app("网络教研")], expect: { app: 2 } },
    { name: "two apps earn 4", events: [app("网络教研"), app("微课网")], expect: { app: 4 } },
    { name: "the same app on the next day earns again", events: [app("网络教研"), app("网络教研", "2018-03-02")], expect: { app: 4 } },
    { name: "mobile per awarding event", events: [app("网络教研", "2018-03-01", { client: "mobile" }), app("网络教研", "2018-03-01", { client: "pc" })], expect: { app: 2 }, mobile: 2 },
  ]);
});

describe("ids, order and errors", () => {
  it("ignores a repeated valid id silently (the first counts)", () => {
    const r = scoreEventFile([
      JSON.stringify({ id: "x", type: "lesson", userId: "t1", at: sh("2018-03-01"), client: "mobile" }),
      JSON.stringify({ id: "x", type: "lesson", userId: "t1", at: sh("2018-03-01") }),
      JSON.stringify({ id: "x", type: "lesson", userId: "t2", at: sh("2018-03-01") }),
    ]);
    expect(r.errors).toEqual([]);
    expect(r.users.t1?.rules.lesson).toBe(5);
    expect(r.users.t1?.mobile).toBe(5);
    expect(r.users.t2).toBeUndefined();
  });

  it("an invalid line does not use up its id: the next valid line with it counts", () => {
    const r = scoreEventFile([
      JSON.stringify({ id: "x", type: "lesson", userId: "t1", at: "2018-03-01T10:00:00" }),
      JSON.stringify({ id: "x", type: "lesson", userId: "t2", at: sh("2018-03-01") }),
    ]);
    expect(r.errors).toEqual([{ line: 1, message: "第1行：字段 at 缺少时区偏移" }]);
    expect(r.users.t1).toBeUndefined();
    expect(r.users.t2?.rules.lesson).toBe(5);
  });

  it("the first valid line counts even when a later one is earlier in time", () => {
    const r = scoreEventFile([
      JSON.stringify({ id: "x", type: "login", userId: "t1", at: sh("2018-03-02") }),
      JSON.stringify({ id: "x", type: "login", userId: "t1", at: sh("2018-03-01") }),
    ]);
    expect(r.users.t1?.months).toEqual({ "2018-03": 1 });
    expect(Object.keys(r.users)).toEqual(["t1"]);
  });

  it("orders sub-millisecond timestamps exactly", () => {
    // Exact order: C (.0001, mobile), B (.0002), A (.0003): C and B earn. Truncated to the
    // millisecond all three tie and file order would let A and B earn instead.
    const r = scoreEventFile([
      JSON.stringify({ id: "A", type: "mobile_op", userId: "t1", at: "2018-03-01T02:00:00.0003Z", client: "pc" }),
      JSON.stringify({ id: "B", type: "mobile_op", userId: "t1", at: "2018-03-01T02:00:00.0002Z", client: "pc" }),
      JSON.stringify({ id: "C", type: "mobile_op", userId: "t1", at: "2018-03-01T02:00:00.0001Z", client: "mobile" }),
    ]);
    expect(r.users.t1?.mobile).toBe(1);
  });

  it("orders fractions beyond nanoseconds exactly", () => {
    const r = scoreEventFile([
      JSON.stringify({ id: "A", type: "mobile_op", userId: "t1", at: "2018-03-01T02:00:00.0000000000000000000003Z", client: "pc" }),
      JSON.stringify({ id: "B", type: "mobile_op", userId: "t1", at: "2018-03-01T02:00:00.0000000000000000000002Z", client: "pc" }),
      JSON.stringify({ id: "C", type: "mobile_op", userId: "t1", at: "2018-03-01T02:00:00.00000000000000000000010Z", client: "mobile" }),
    ]);
    expect(r.users.t1?.mobile).toBe(1);
  });

  it("equal instants written differently are ties, kept in file order", () => {
    const r = scoreEventFile([
      JSON.stringify({ id: "A", type: "mobile_op", userId: "t1", at: "2018-03-01T10:00:00.5+08:00", client: "pc" }),
      JSON.stringify({ id: "B", type: "mobile_op", userId: "t1", at: "2018-03-01T02:00:00.500Z", client: "pc" }),
      JSON.stringify({ id: "C", type: "mobile_op", userId: "t1", at: "2018-03-01T02:00:00,5000000Z", client: "mobile" }),
    ]);
    expect(r.users.t1?.mobile).toBe(0);
  });

  it("scores the rest of a file around malformed lines", () => {
    const r = scoreEventFile([
      JSON.stringify({ id: "1", type: "lesson", userId: "t1", at: sh("2018-03-01") }),
      "{not json",
      "",
      "   ",
      JSON.stringify({ id: "2", type: "lesson", userId: "t1", at: sh("2018-03-02") }),
      JSON.stringify({ id: "3", type: "logout", userId: "t1", at: sh("2018-03-02") }),
    ]);
    expect(r.errors.map((e) => e.line)).toEqual([2, 6]);
    expect(r.users.t1?.rules.lesson).toBe(10);
  });

  it("reports users in id order with all nine rules in order", () => {
    const r = score([login("2018-03-01", { userId: "t2" }), login("2018-03-01", { userId: "t10" }), login("2018-03-01")]);
    expect(Object.keys(r.users)).toEqual(["t1", "t10", "t2"]);
    expect(Object.keys(r.users.t1!.rules)).toEqual([...RULE_NAMES]);
  });

  it("keeps a user id such as __proto__ as an ordinary key", () => {
    const r = score([login("2018-03-01", { userId: "__proto__" })]);
    expect(Object.keys(r.users)).toEqual(["__proto__"]);
    expect(JSON.parse(JSON.stringify(r)).users.__proto__.total).toBe(1);
  });

  it("reports months the same way over a span too wide for the dense month grid", () => {
    const events: Ev[] = [];
    for (let i = 0; i < 40; i++) {
      events.push({ type: "login", userId: `u${i}`, at: "0001-01-01T10:00:00+08:00" });
      events.push({ type: "lesson", userId: `u${i}`, at: "9999-12-31T10:00:00+08:00" });
    }
    events.push(login("2018-03-01"), login("2018-03-02"));
    const r = score(events);
    expect(r.users.u7?.months).toEqual({ "0001-01": 1, "9999-12": 5 });
    expect(r.users.t1?.months).toEqual({ "2018-03": 2 });
    expect(score(events, 9999).users.u7?.months).toEqual({ "9999-12": 5 });
  });

  it("writes the document straight from the totals exactly as formatReport would", () => {
    const events: Ev[] = [
      login("2018-03-01", { userId: "10" }),
      login("2018-03-01", { userId: "2" }),
      login("2018-03-01", { userId: "01" }),
      login("2018-03-01", { userId: "4294967295" }),
      login("2018-03-01", { userId: "__proto__" }),
      login("2018-03-01", { userId: "b\"q" }),
      login("2018-03-01", { userId: "网" }),
      review("county"),
      deleted("2018-03-05"),
      { type: "lesson", userId: "far", at: "0001-01-01T10:00:00+08:00" },
      ...Array.from({ length: 40 }, (_, i): Ev => ({ type: "lesson", userId: `w${i}`, at: "9999-01-01T10:00:00+08:00" })),
    ];
    for (const year of [null, 2018, 9999]) {
      const s = new ActivityScoringSession();
      for (const l of [...lines(events), "oops"]) s.pushLine(l);
      const text = s.reportJson({ year });
      expect(text).toBe(formatReport(s.report({ year })));
      if (year === null) expect(Object.keys(JSON.parse(text).users).slice(0, 3)).toEqual(["2", "10", "01"]);
    }
  });

  it("combines the rules of a month", () => {
    const r = score([
      ...days("2018-03-01", 7).map((d) => login(d, { client: "mobile" })),
      item("avatar"),
      item("contact"),
      item("affiliation"),
      item("subject"),
      op(),
      spread("s9"),
      review("county"),
      review("city", { client: "mobile" }),
      lesson(),
      ...talks(5),
    ]);
    expect(r.users.t1).toEqual({
      total: 8 + 5 + 1 + 1 + 10 + 5 + 3,
      mobile: 8 + 7,
      rules: rules({ login: 8, profile: 5, mobile_use: 1, spread: 1, submission: 10, lesson: 5, interaction: 3 }),
      months: { "2018-03": 33 },
    });
  });
});
