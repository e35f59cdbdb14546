import { badInput, checkConsent, DomainError, type Role } from "@zjh/domain";
import type { Ctx } from "../../common/context.js";
import { loader } from "../../common/loader.js";
import type { Sql, Tx } from "../../db/data-source.js";
import { audit } from "../audit/audit.service.js";
import { requireActing } from "../auth/authorize.js";
import { assertCampaignOpen, assertStageOpenFor, loadCampaign, type LoadedCampaign } from "../campaign/campaign.service.js";
import {
  ACTIONS_INTO_PIPELINE, allowedActions, CLOSABLE_STATES, LEVEL_ROLES, nextLevel, pipelineClosedError, previousLevel, stageOfAction, transition, WAITING_STATES,
  type Actor, type ReviewLevel, type HistoryEntryFields, type PipelineAction, type PipelineApplication,
} from "../campaign/domain.js";
import { lockQuotas, releasePlaces, takePlaces } from "../campaign/quota.service.js";
import { unitKey } from "../campaign/unit-key.util.js";
import { assertAttachable } from "../files/files.service.js";
import { findUnit, regionIds, unitsById, type UnitRow } from "../org/org.repository.js";
import { lockCampaignFinalization } from "../finalization/finalization-lock.util.js";
import { notifyTransition } from "../notification/notification.service.js";
import {
  applicationsInStates, insertConsent, insertReviewAction, insertRevision, pipelineFactsOf, updateTransition, workingFormOf, type PipelineFactsRow,
} from "./application.repository.js";
import {
  APP_COLUMNS, originFromUnits, regionIdsOf, requireVisibleApplication, staleVersion, submitViolations, type ApplicationFormData, type ApplicationRow,
} from "./application.service.js";

/** Who acts: a user in one role over one unit (the role they chose in the app). */
export interface PipelineActor {
  userId: string;
  role: Role;
  unitId: string;
  unitKey: string;
}

export async function actorOf(ctx: Ctx, sql: Sql = ctx.db): Promise<PipelineActor> {
  const acting = requireActing(ctx);
  const u = await findUnit(sql, acting.unitId);
  return { userId: ctx.auth!.userId, role: acting.role, unitId: acting.unitId, unitKey: unitKey(u!) };
}

function domainActor(a: PipelineActor): Actor {
  return { userId: String(a.userId), role: a.role, unitKey: a.unitKey };
}

export { LISTED_USER_IDS_SQL } from "./application.repository.js";

const ESCALATED: Record<Exclude<ReviewLevel, "PROVINCE">, keyof PipelineFactsRow> = {
  SCHOOL: "escalated_school",
  COUNTY: "escalated_county",
  CITY: "escalated_city",
};

/**
 * Where the pipeline rules read what they need beyond the row: directly (inside a transition's
 * transaction) or through the request's batched loaders (the buttons of a page of applications,
 * so a page costs the same statements for 2 rows as for 100).
 */
interface PipelineLookups {
  facts(id: string): Promise<PipelineFactsRow | undefined>;
  units(ids: string[]): Promise<ReadonlyMap<string, UnitRow>>;
}

function directLookups(sql: Sql): PipelineLookups {
  return {
    facts: async (id) => (await pipelineFactsOf(sql, [id]))[0],
    units: (ids) => unitsById(sql, ids),
  };
}

function batchedLookups(ctx: Ctx): PipelineLookups {
  const facts = loader<string, PipelineFactsRow | undefined>(ctx, "pipelineFacts", (ids) => pipelineFactsOf(ctx.db, ids));
  const units = loader<string, UnitRow | null>(ctx, "pipelineUnits", async (ids) => {
    const m = await unitsById(ctx.db, ids);
    return ids.map((id) => m.get(String(id)) ?? null);
  });
  return {
    facts: (id) => facts.load(String(id)),
    units: async (ids) => {
      const list = await units.loadMany(ids.map(String));
      const m = new Map<string, UnitRow>();
      for (const u of list) if (u && !(u instanceof Error)) m.set(String(u.id), u);
      return m;
    },
  };
}

/**
 * The application as the domain rules take it. `forRole`: only the escalations that role could
 * use count (the reviewer role of the level above).
 */
export async function pipelineApplication(sql: Sql, row: ApplicationRow, forRole?: Role): Promise<PipelineApplication> {
  return pipelineApplicationFrom(directLookups(sql), row, forRole);
}

async function pipelineApplicationFrom(lookups: PipelineLookups, row: ApplicationRow, forRole?: Role): Promise<PipelineApplication> {
  const [r, units] = await Promise.all([lookups.facts(row.id), lookups.units(regionIds(regionIdsOf(row)))]);
  if (!r) throw new DomainError("NOT_FOUND", "申报不存在");
  const listed = (r.listed ?? []).map(String);
  // Only the levels that can act now matter: the one it waits at, and the one that recommended it.
  const waiting = row.current_level && (WAITING_STATES as readonly string[]).includes(row.state) ? row.current_level : null;
  const before = waiting && previousLevel(row.levels, waiting);
  const candidates = (waiting ? [waiting, ...(before ? [before] : [])] : []).filter((l) => {
    const up = nextLevel(row.levels, l);
    return up !== null && (forRole === undefined || LEVEL_ROLES[up] === forRole);
  });
  return {
    state: row.state,
    currentLevel: row.current_level,
    revision: row.revision,
    levels: row.levels,
    applicantUserId: String(row.applicant_user_id),
    origin: originFromUnits(units, row),
    listedUserIds: listed,
    escalatedLevels: candidates.filter((l) => l !== "PROVINCE" && r[ESCALATED[l as Exclude<ReviewLevel, "PROVINCE">]] === true),
    closed: r.published ? "RESULTS_PUBLISHED" : r.final ? "CATEGORY_FINALIZED" : null,
  };
}

const QUOTA_ACTIONS = new Set<PipelineAction["type"]>(["recommend", "return", "withdrawRecommendation"]);

export interface TransitionOutcome {
  row: ApplicationRow;
  entry: HistoryEntryFields;
  actionId: string;
}

/**
 * Applies one pipeline action to an application inside the caller's transaction — the one path
 * every transition takes (reviews here, expert review and finalization elsewhere):
 * 1. the domain state machine decides the next state and whether the actor may act;
 * 2. the stage deadline of the action (with the city's schedule and extensions) must be open;
 * 3. a (re)submission needs the applicant's acceptance of the current 参赛须知 (`opts.consentVersion`),
 *    validates the whole form and snapshots it as the revision, with the acceptance beside it;
 * 4. the state changes with `UPDATE … WHERE state = $expected AND version = $v` — zero rows means
 *    someone else acted first (CONFLICT);
 * 5. the history row is appended; quota places are taken (recommend) or given back (return,
 *    withdrawn recommendation); notifications are queued — all in the same transaction.
 */
export async function applyTransition(
  tx: Tx,
  row: ApplicationRow,
  action: PipelineAction,
  actor: PipelineActor,
  opts: { campaign?: LoadedCampaign; now?: Date; consentVersion?: string | null } = {},
): Promise<TransitionOutcome> {
  // Steps that use or give back quota places hold the campaign's quota lock (shared) from
  // before they read the configuration: a concurrent cap change is either fully before or after.
  if (QUOTA_ACTIONS.has(action.type)) await lockQuotas(tx, row.campaign_id, "shared");
  // Steps toward the province hold the campaign's finalization lock (shared) while they check
  // that the category is not closed: a category's finalization or the publication (exclusive)
  // is either fully before them — and they are refused — or fully after, and sees them.
  if (ACTIONS_INTO_PIPELINE.includes(action.type)) await lockCampaignFinalization(tx, row.campaign_id, "shared");
  const c = opts.campaign ?? (await loadCampaign(tx, row.campaign_id))!;
  assertCampaignOpen(c);
  const app = await pipelineApplication(tx, row, actor.role);
  let result: ReturnType<typeof transition>;
  try {
    result = transition(app, action, domainActor(actor));
  } catch (e) {
    if (e instanceof DomainError && e.code === "PIPELINE_CLOSED" && app.closed) {
      throw pipelineClosedError(app.closed, action.type, c.config.categories.find((k) => k.code === row.category_code)?.name);
    }
    throw e;
  }
  const { entry } = result;

  const stage = stageOfAction(entry);
  if (stage) await assertStageOpenFor(tx, c, stage, row.unit_path, opts.now);

  let snapshot: ApplicationFormData | null = null;
  let consent: ReturnType<typeof checkConsent> | null = null;
  if (action.type === "submit" || action.type === "resubmit") {
    consent = checkConsent(opts.consentVersion);
    snapshot = (await workingFormOf(tx, row.id))!;
    const v = await submitViolations(tx, row, c, snapshot);
    if (v.length) throw badInput(v);
    await assertAttachable(tx, null, { photoZip: snapshot.photoZipFileId ?? null, video: snapshot.videoFileId ?? null, caseDocument: snapshot.caseDocumentFileId ?? null }, row.id);
  }

  const next = await updateTransition(tx, row.id, row.state, row.version, {
    state: result.state, currentLevel: result.currentLevel, revision: result.revision, grade: result.grade, submitted: snapshot !== null,
  });
  if (!next) throw staleVersion();

  if (snapshot) {
    await insertRevision(tx, row.id, result.revision, snapshot, actor.userId);
    await insertConsent(tx, { applicationId: row.id, revision: result.revision, userId: actor.userId, version: consent!.version, text: consent!.text });
  }

  const actionId = await insertReviewAction(tx, {
    applicationId: row.id, revision: entry.revision, action: entry.action, fromState: entry.fromState, fromLevel: entry.fromLevel, toState: entry.toState,
    toLevel: entry.toLevel, level: entry.level, actorUserId: actor.userId, actorRole: actor.role, actorUnitId: actor.unitId, comment: entry.comment, grade: entry.grade,
  });

  if (action.type === "recommend") {
    await takePlaces(tx, c, row, app.origin, entry.level!, actionId);
  } else {
    // Returns give back every place of the revision; a withdrawn recommendation, its own.
    await releasePlaces(tx, c.row.id, row.id, { action: entry.action, level: entry.level, revision: row.revision }, actionId);
  }

  await notifyTransition(tx, c, next, entry, actor);
  return { row: next, entry, actionId };
}

/**
 * Ends the review of every application of a closed category (or, without `categoryCode`, of the
 * whole campaign once its results are published) still waiting below a result or returned for
 * revision: each moves to NOT_SELECTED through the pipeline (history "终止评审" with the reason,
 * the applicant notified), so none is left where nobody can act. Drafts stay drafts: their
 * applicant can only withdraw them. Runs inside the finalization's or publication's transaction.
 */
export async function closeOpenApplications(
  tx: Tx,
  c: LoadedCampaign,
  categoryCode: string | null,
  actor: PipelineActor,
  comment: string,
): Promise<number> {
  const rows = await applicationsInStates(tx, c.row.id, [...CLOSABLE_STATES], categoryCode);
  for (const row of rows) await applyTransition(tx, row, { type: "close", comment }, actor, { campaign: c });
  return rows.length;
}

/**
 * One pipeline action by the acting role, on an application it can see, with the version it
 * loaded (and optionally the revision it reviewed): a stale version is a CONFLICT, a stale
 * revision STALE_REVISION, so two reviewers acting at once get exactly one success.
 */
export async function act(
  ctx: Ctx,
  id: string,
  action: PipelineAction,
  expected: { version: number; revision?: number | null },
  opts: { consentVersion?: string | null } = {},
): Promise<ApplicationRow> {
  const actor = await actorOf(ctx);
  return ctx.db.tx(async (tx) => {
    const row = await requireVisibleApplication(ctx, id, tx);
    if (expected.revision != null && expected.revision !== row.revision) {
      throw new DomainError("STALE_REVISION", `您查看的是第${expected.revision}版，申报已更新为第${row.revision}版，请查看最新版本后再操作`, "revision", {
        current: row.revision,
      });
    }
    if (row.version !== expected.version) throw staleVersion();
    const out = await applyTransition(tx, row, action, actor, { consentVersion: opts.consentVersion });
    if (action.type === "disqualify") {
      await audit(tx, ctx, { action: "APPLICATION_DISQUALIFY", targetType: "application", targetId: row.id, reason: out.entry.comment, data: { fromState: row.state } });
    }
    return out.row;
  });
}

/** The actions the acting role may take on an application now (for the buttons). */
export async function actionsFor(ctx: Ctx, row: ApplicationRow) {
  const acting = ctx.auth?.acting;
  if (!acting) return [];
  // Batched for the request: a page of applications asks this of every row at once.
  const lookups = batchedLookups(ctx);
  const [app, units] = await Promise.all([pipelineApplicationFrom(lookups, row, acting.role), lookups.units([acting.unitId])]);
  const unit = units.get(String(acting.unitId));
  if (!unit) return [];
  return allowedActions(app, { userId: String(ctx.auth!.userId), role: acting.role, unitKey: unitKey(unit) });
}
