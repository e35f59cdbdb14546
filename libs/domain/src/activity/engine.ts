/**
 * The scoring loop: applies the rows of an EventTable in application order and reports every award
 * or deduction to a sink. One pass, state in typed arrays indexed by interned ids.
 *
 * Because rows are applied in time order, Shanghai days never go backwards, so "per user per day"
 * counters are a (day, amount) pair per user, reset when the day changes.
 */
import { type EventTable } from "./event-table.js";
import {
  T_APP,
  T_DELETED,
  T_INTERACTION,
  T_LESSON,
  T_LOGIN,
  T_MOBILE_OP,
  T_PROFILE,
  T_REVIEW,
  T_SPREAD,
  T_TASK_ENGAGED,
  T_TASK_PUBLISHED,
} from "./event.js";
import { PairTable } from "./pair-table.js";
import { type RuleSet } from "./rule-set.js";

export const R_LOGIN = 0;
export const R_PROFILE = 1;
export const R_MOBILE_USE = 2;
export const R_SPREAD = 3;
export const R_SUBMISSION = 4;
export const R_LESSON = 5;
export const R_TASK = 6;
export const R_INTERACTION = 7;
export const R_APP = 8;

/** Receives entries in application order. `mobile` is 1 when the awarding event carried client "mobile". */
export interface ScoreSink {
  add(user: number, day: number, rule: number, points: number, mobile: number, row: number): void;
}

const NO_DAY = -0x7fffffff;

function dayArray(n: number): Int32Array {
  return new Int32Array(n).fill(NO_DAY);
}

/** Applies all rows of `table` under `rs`, in application order, reporting to `sink`. */
export function applyRules(table: EventTable, rs: RuleSet, sink: ScoreSink): void {
  const n = table.size;
  const order = table.applicationOrder();
  const type = table.type;
  const dayCol = table.day;
  const mob = table.mobile;
  const colA = table.a;
  const colB = table.b;
  const colC = table.c;

  const nUsers = table.users.size;
  const nRes = table.resourceCount;
  const nTasks = table.tasks.size;

  // login
  const loginPoints = rs.login.points;
  const streakPoints = rs.login.streakPoints;
  const streakDays = rs.login.streakDays;
  const loginDay = dayArray(nUsers);
  const loginStreak = new Int32Array(nUsers);
  // profile
  const profilePoints = rs.profile.points;
  const profileRequired = rs.profile.requiredItems;
  const profileMask = new Int32Array(nUsers);
  const profileCount = new Int32Array(nUsers);
  // mobile_use
  const muPoints = rs.mobileUse.points;
  const muCap = rs.mobileUse.dailyCap;
  const muDay = dayArray(nUsers);
  const muEarned = new Float64Array(nUsers);
  // spread
  const spPoints = rs.spread.points;
  const spDayCap = rs.spread.dailyCapPerOwner;
  const spLifeCap = rs.spread.lifetimeCapPerResource;
  const spDay = dayArray(nUsers);
  const spEarned = new Float64Array(nUsers);
  const resSpread = new Float64Array(nRes);
  const spreadPairs = new PairTable(nRes * 4);
  // submission
  const levelPoints = rs.submission.levels.map((l) => l.points);
  const resLevels = new Int32Array(nRes);
  const resSubmission = new Float64Array(nRes);
  const resDeleted = new Uint8Array(nRes);
  // lesson
  const lsPoints = rs.lesson.points;
  const lsCap = rs.lesson.dailyCap;
  const lsDay = dayArray(nUsers);
  const lsEarned = new Float64Array(nUsers);
  // task
  const tkPoints = rs.task.points;
  const tkRequired = rs.task.studentsRequired;
  const tkCap = rs.task.dailyCapPerTeacher;
  const taskPublisher = new Int32Array(nTasks).fill(-1);
  const taskStudents = new Int32Array(nTasks);
  const taskDone = new Uint8Array(nTasks);
  const taskPairs = new PairTable(nTasks * 4);
  const tkDay = dayArray(nUsers);
  const tkEarned = new Float64Array(nUsers);
  // interaction: award when the day's distinct-counterpart count reaches a tier
  const tiers = rs.interaction.tiers;
  const maxTier = tiers.length > 0 ? tiers[tiers.length - 1]!.counterparts : 0;
  const tierAward = new Float64Array(maxTier + 1);
  let prevTotal = 0;
  for (const t of tiers) {
    tierAward[t.counterparts] = t.total - prevTotal;
    prevTotal = t.total;
  }
  const itDay = dayArray(nUsers);
  const itCount = new Int32Array(nUsers);
  const itSeen = new PairTable(nUsers * 4);
  // app
  const appPoints = rs.app.points;
  const appSeen = new PairTable(nUsers * 2);

  for (let k = 0; k < n; k++) {
    const i = order === null ? k : order[k]!;
    const d = dayCol[i]!;
    const u = colA[i]!;
    switch (type[i]) {
      case T_LOGIN: {
        const last = loginDay[u]!;
        if (last === d) break;
        const streak = last === d - 1 ? loginStreak[u]! + 1 : 1;
        loginDay[u] = d;
        loginStreak[u] = streak;
        const pts = streak >= streakDays ? streakPoints : loginPoints;
        if (pts > 0) sink.add(u, d, R_LOGIN, pts, mob[i]!, i);
        break;
      }
      case T_PROFILE: {
        const mask = profileMask[u]!;
        const bit = 1 << colB[i]!;
        if ((mask & bit) !== 0) break;
        profileMask[u] = mask | bit;
        const count = profileCount[u]! + 1;
        profileCount[u] = count;
        if (count === profileRequired && profilePoints > 0) sink.add(u, d, R_PROFILE, profilePoints, mob[i]!, i);
        break;
      }
      case T_MOBILE_OP: {
        if (muDay[u] !== d) {
          muDay[u] = d;
          muEarned[u] = 0;
        }
        const pts = Math.min(muPoints, muCap - muEarned[u]!);
        if (pts <= 0) break;
        muEarned[u] = muEarned[u]! + pts;
        sink.add(u, d, R_MOBILE_USE, pts, mob[i]!, i);
        break;
      }
      case T_SPREAD: {
        const r = colC[i]!;
        if (resDeleted[r] === 1) break;
        if (!spreadPairs.add(r, colB[i]!)) break;
        // The pair is weighed now, once: whatever stops it here stops it for good.
        if (spDay[u] !== d) {
          spDay[u] = d;
          spEarned[u] = 0;
        }
        const pts = Math.min(spPoints, spLifeCap - resSpread[r]!, spDayCap - spEarned[u]!);
        if (pts <= 0) break;
        resSpread[r] = resSpread[r]! + pts;
        spEarned[u] = spEarned[u]! + pts;
        sink.add(u, d, R_SPREAD, pts, mob[i]!, i);
        break;
      }
      case T_REVIEW: {
        const r = colC[i]!;
        if (resDeleted[r] === 1) break;
        const bit = 1 << colB[i]!;
        const levels = resLevels[r]!;
        if ((levels & bit) !== 0) break;
        resLevels[r] = levels | bit;
        const pts = levelPoints[colB[i]!]!;
        if (pts <= 0) break;
        resSubmission[r] = resSubmission[r]! + pts;
        sink.add(u, d, R_SUBMISSION, pts, mob[i]!, i);
        break;
      }
      case T_DELETED: {
        const r = colC[i]!;
        if (resDeleted[r] === 1) break;
        resDeleted[r] = 1;
        const earned = resSubmission[r]!;
        if (earned > 0) sink.add(u, d, R_SUBMISSION, -earned, 0, i);
        break;
      }
      case T_LESSON: {
        if (lsDay[u] !== d) {
          lsDay[u] = d;
          lsEarned[u] = 0;
        }
        const pts = Math.min(lsPoints, lsCap - lsEarned[u]!);
        if (pts <= 0) break;
        lsEarned[u] = lsEarned[u]! + pts;
        sink.add(u, d, R_LESSON, pts, mob[i]!, i);
        break;
      }
      case T_TASK_PUBLISHED: {
        const t = colB[i]!;
        if (taskPublisher[t] === -1) taskPublisher[t] = u;
        break;
      }
      case T_TASK_ENGAGED: {
        // colA is the task here.
        const pub = taskPublisher[u]!;
        if (pub === -1 || taskDone[u] === 1) break;
        if (!taskPairs.add(u, colB[i]!)) break;
        const count = taskStudents[u]! + 1;
        taskStudents[u] = count;
        if (count < tkRequired) break;
        taskDone[u] = 1;
        if (tkDay[pub] !== d) {
          tkDay[pub] = d;
          tkEarned[pub] = 0;
        }
        const pts = Math.min(tkPoints, tkCap - tkEarned[pub]!);
        if (pts <= 0) break;
        tkEarned[pub] = tkEarned[pub]! + pts;
        sink.add(pub, d, R_TASK, pts, mob[i]!, i);
        break;
      }
      case T_INTERACTION: {
        const cp = colB[i]!;
        if (itSeen.swap(u, cp, d, NO_DAY) === d) break;
        let count: number;
        if (itDay[u] !== d) {
          itDay[u] = d;
          count = 1;
        } else {
          count = itCount[u]! + 1;
        }
        itCount[u] = count;
        if (count <= maxTier) {
          const pts = tierAward[count]!;
          if (pts > 0) sink.add(u, d, R_INTERACTION, pts, mob[i]!, i);
        }
        break;
      }
      case T_APP: {
        const a = colB[i]!;
        if (appSeen.swap(u, a, d, NO_DAY) === d) break;
        if (appPoints > 0) sink.add(u, d, R_APP, appPoints, mob[i]!, i);
        break;
      }
    }
  }
}
