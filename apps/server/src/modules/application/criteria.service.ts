import {
  activityChecklist, teacherIndicatorsFromActivity, unitIndicatorsFromActivity,
  type ActivityIndicators, type CheckResult, type ChecklistItem, type CriterionDef, type SubmissionEntry, type TeacherActivityFacts,
  type UnitActivityFacts, type YearTotal,
} from "@zjh/domain";
import { DEFAULT_RULE_SET, RULE_NAMES } from "@zjh/domain/activity/index";
import type { Ctx } from "../../common/context.js";
import { loader } from "../../common/loader.js";
import type { ApplicationRow } from "./application.service.js";
import { criteriaOfCampaigns, teacherActivityDetails, teacherYearTotals, unitActivityCounts } from "./application.repository.js";
import { CRITERION_STATUS_LABELS, CriterionPart, CriterionResult } from "./criteria.types.js";

/**
 * The reviewers' criteria checklist of an application (SPEC §2): its category's criteria evaluated
 * on what the activity aggregates say about the applicant in the campaign year — the teacher's
 * own account, or the teachers of the applying school or region. Reads only aggregates
 * (activity_total, activity_daily, and the submission entries of the points log), each through a
 * per-request DataLoader, so a list of applications costs a few queries, not a few per row.
 */

const RULES = DEFAULT_RULE_SET;
/** 1-based positions in activity_total.rule_points. */
const LESSON_POS = RULE_NAMES.indexOf("lesson") + 1;

const num = (v: unknown): number => (typeof v === "number" ? v : Number(v));

interface CategoryCriteria {
  year: number;
  byCode: Map<string, CriterionDef[]>;
}

function campaignCriteria(ctx: Ctx, campaignId: string): Promise<CategoryCriteria | undefined> {
  return loader<string, CategoryCriteria | undefined>(ctx, "criteria.campaign", async (ids) => {
    const rows = await criteriaOfCampaigns(ctx.db, ids);
    const out = new Map<string, CategoryCriteria>();
    for (const r of rows) {
      const c = out.get(r.campaign_id) ?? { year: num(r.year), byCode: new Map() };
      c.byCode.set(r.code, Array.isArray(r.criteria) ? (r.criteria as CriterionDef[]) : []);
      out.set(r.campaign_id, c);
    }
    return ids.map((id) => out.get(String(id)));
  }).load(String(campaignId));
}

/** Keys "<id>:<year>", split back into ids per year (a request rarely spans more than one year). */
function byYear(keys: readonly string[]): Map<number, string[]> {
  const m = new Map<number, string[]>();
  for (const k of keys) {
    const [id, year] = k.split(":") as [string, string];
    m.set(Number(year), [...(m.get(Number(year)) ?? []), id]);
  }
  return m;
}

async function teacherFactsBatch(ctx: Ctx, userIds: string[], year: number): Promise<Map<string, TeacherActivityFacts>> {
  const from = `${year}-01-01`;
  const until = `${year}-12-31`;
  const [totals, details] = await Promise.all([
    teacherYearTotals(ctx.db, userIds, String(year)),
    teacherActivityDetails(ctx.db, userIds, from, until),
  ]);
  const facts = new Map<string, TeacherActivityFacts>(
    userIds.map((id) => [id, { year, yearTotals: [] as YearTotal[], lessonPointsByDay: [] as number[], submissions: [] as SubmissionEntry[] }]),
  );
  for (const t of totals) {
    (facts.get(t.user_id)!.yearTotals as YearTotal[]).push({ year: Number(t.period), points: num(t.points), rulePoints: (t.rule_points ?? []).map(num) });
  }
  for (const d of details) {
    const f = facts.get(d.user_id)!;
    if (d.rule === "lesson") (f.lessonPointsByDay as number[]).push(num(d.points));
    else (f.submissions as SubmissionEntry[]).push({ day: d.day, points: num(d.points), level: d.level, resourceId: d.resource_id });
  }
  return facts;
}

function teacherFacts(ctx: Ctx, userId: string, year: number): Promise<TeacherActivityFacts> {
  return loader<string, TeacherActivityFacts>(ctx, "criteria.teacher", async (keys) => {
    const found = new Map<string, TeacherActivityFacts>();
    for (const [y, ids] of byYear(keys)) {
      for (const [id, f] of await teacherFactsBatch(ctx, ids, y)) found.set(`${id}:${y}`, f);
    }
    return keys.map((k) => found.get(k)!);
  }).load(`${userId}:${year}`);
}

/**
 * Counts over the statistics roster of each unit (unlocked users holding the TEACHER role whose
 * home unit is at or below it), as the activity statistics count them. The path range
 * [path, path || '~') is the prefix predicate in a form the text_pattern_ops index serves per unit.
 */
async function unitFactsBatch(ctx: Ctx, unitIds: string[], year: number): Promise<Map<string, UnitActivityFacts>> {
  const rows = await unitActivityCounts(ctx.db, unitIds, String(year), RULES.targets.activeMinPoints, LESSON_POS);
  const byUnit = new Map(rows.map((r) => [r.unit_id, r]));
  return new Map(unitIds.map((id) => {
    const r = byUnit.get(id);
    return [id, {
      year,
      teachers: num(r?.teachers ?? 0),
      teachersWithData: num(r?.with_data ?? 0),
      activeTeachers: num(r?.active ?? 0),
      teachingClientTeachers: num(r?.on_client ?? 0),
    }];
  }));
}

function unitFacts(ctx: Ctx, unitId: string, year: number): Promise<UnitActivityFacts> {
  return loader<string, UnitActivityFacts>(ctx, "criteria.unit", async (keys) => {
    const found = new Map<string, UnitActivityFacts>();
    for (const [y, ids] of byYear(keys)) {
      for (const [id, f] of await unitFactsBatch(ctx, ids, y)) found.set(`${id}:${y}`, f);
    }
    return keys.map((k) => found.get(k)!);
  }).load(`${unitId}:${year}`);
}

function toPart(r: CheckResult): CriterionPart {
  return Object.assign(new CriterionPart(), {
    status: r.status,
    statusLabel: CRITERION_STATUS_LABELS[r.status],
    detail: r.detail,
    parts: (r.parts ?? []).map(toPart),
  });
}

function toResult(r: ChecklistItem): CriterionResult {
  return Object.assign(new CriterionResult(), {
    id: r.id,
    text: r.text,
    status: r.status,
    statusLabel: CRITERION_STATUS_LABELS[r.status],
    detail: r.detail,
    parts: (r.parts ?? []).map(toPart),
    reference: r.reference,
  });
}

type CriteriaSubject = Pick<ApplicationRow, "campaign_id" | "category_code" | "applicant_kind" | "applicant_user_id" | "applicant_unit_id">;

/**
 * The checklist of an application the caller was already allowed to see (the field's parent came
 * through the application visibility rules); its data is the applicant's, inside that scope.
 */
export async function applicationCriteria(ctx: Ctx, app: CriteriaSubject): Promise<CriterionResult[]> {
  const config = await campaignCriteria(ctx, String(app.campaign_id));
  const criteria = config?.byCode.get(app.category_code);
  if (!config || !criteria) return [];
  let derived: ActivityIndicators;
  if (app.applicant_kind === "TEACHER") {
    derived = teacherIndicatorsFromActivity(await teacherFacts(ctx, String(app.applicant_user_id), config.year), RULES);
  } else {
    derived = unitIndicatorsFromActivity(await unitFacts(ctx, String(app.applicant_unit_id), config.year));
  }
  return activityChecklist(criteria, derived).map(toResult);
}
