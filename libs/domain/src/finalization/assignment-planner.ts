import { badInput } from "../errors.js";
import { assertNoConflict, assignmentConflict, type ApplicationRef, type ExpertRef } from "./conflicts.js";

export interface Assignment {
  applicationId: string;
  expertId: string;
}

export interface PlanInput {
  applications: readonly ApplicationRef[];
  experts: readonly ExpertRef[];
  /** Experts per application (k). */
  expertsPerApplication: number;
  /** Assignments kept as they are (e.g. already scored); counted in loads, never moved. */
  fixed?: readonly Assignment[];
  /** Most applications one expert may get. */
  maxLoad?: number;
}

export interface AssignmentPlan {
  /** Fixed and planned assignments together, sorted by application id then expert id. */
  assignments: Assignment[];
  /** Applications per expert, every expert listed. */
  loads: Record<string, number>;
  /** Applications that could not get k conflict-free experts. */
  unfilled: { applicationId: string; missing: number }[];
}

const byId = <T extends { id: string }>(a: T, b: T): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Gives every application k experts without conflicts (same city, same school, self), spreading the
 * load as evenly as possible. Deterministic: the same input in any order gives the same plan.
 *
 * Greedy, most constrained application first (fewest eligible experts), each taking the least
 * loaded eligible experts (ties by expert id); then single moves from an expert to one with a load
 * at least 2 lower repeat until none is left, so loads differ by at most 1 wherever one move can
 * fix it.
 */
export function planAssignments(input: PlanInput): AssignmentPlan {
  const k = input.expertsPerApplication;
  if (!Number.isInteger(k) || k < 1) {
    throw badInput([{ field: "expertsPerApplication", rule: "range", message: `每件申报的评审专家数须为正整数，实际为${k}` }]);
  }
  const maxLoad = input.maxLoad ?? Number.POSITIVE_INFINITY;
  const experts = [...input.experts].sort(byId);
  const apps = [...input.applications].sort(byId);
  const expertById = new Map(experts.map((e) => [e.id, e]));
  const appById = new Map(apps.map((a) => [a.id, a]));

  const loads = new Map<string, number>(experts.map((e) => [e.id, 0]));
  const onApp = new Map<string, Set<string>>(apps.map((a) => [a.id, new Set<string>()]));
  const fixedKeys = new Set<string>();
  for (const f of input.fixed ?? []) {
    const e = expertById.get(f.expertId);
    const a = appById.get(f.applicationId);
    if (!e || !a) {
      throw badInput([{ field: "fixed", rule: "unknown", message: `保留的分配引用了不存在的专家或申报（${f.expertId} → ${f.applicationId}）` }]);
    }
    assertNoConflict(e, a);
    if (onApp.get(a.id)!.has(e.id)) continue;
    onApp.get(a.id)!.add(e.id);
    loads.set(e.id, loads.get(e.id)! + 1);
    fixedKeys.add(`${a.id}\u0000${e.id}`);
  }

  const eligible = new Map<string, ExpertRef[]>(
    apps.map((a) => [a.id, experts.filter((e) => assignmentConflict(e, a) === null)]),
  );
  const order = [...apps].sort((a, b) => eligible.get(a.id)!.length - eligible.get(b.id)!.length || byId(a, b));
  const lighter = (a: ExpertRef, b: ExpertRef): number => loads.get(a.id)! - loads.get(b.id)! || byId(a, b);

  const unfilled: { applicationId: string; missing: number }[] = [];
  for (const app of order) {
    const taken = onApp.get(app.id)!;
    const candidates = eligible.get(app.id)!.filter((e) => !taken.has(e.id) && loads.get(e.id)! < maxLoad).sort(lighter);
    const need = Math.max(0, k - taken.size);
    for (const e of candidates.slice(0, need)) {
      taken.add(e.id);
      loads.set(e.id, loads.get(e.id)! + 1);
    }
    const missing = k - taken.size;
    if (missing > 0) unfilled.push({ applicationId: app.id, missing });
  }

  let moved = true;
  while (moved) {
    moved = false;
    for (const app of apps) {
      const taken = onApp.get(app.id)!;
      for (const from of [...taken].sort()) {
        if (fixedKeys.has(`${app.id}\u0000${from}`)) continue;
        const fromLoad = loads.get(from)!;
        const to = eligible
          .get(app.id)!
          .filter((e) => !taken.has(e.id) && loads.get(e.id)! <= fromLoad - 2 && loads.get(e.id)! < maxLoad)
          .sort(lighter)[0];
        if (!to) continue;
        taken.delete(from);
        taken.add(to.id);
        loads.set(from, fromLoad - 1);
        loads.set(to.id, loads.get(to.id)! + 1);
        moved = true;
      }
    }
  }

  const assignments: Assignment[] = [];
  for (const app of apps) {
    for (const expertId of [...onApp.get(app.id)!].sort()) assignments.push({ applicationId: app.id, expertId });
  }
  unfilled.sort((a, b) => (a.applicationId < b.applicationId ? -1 : 1));
  return { assignments, loads: Object.fromEntries(loads), unfilled };
}
