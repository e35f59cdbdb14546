import { badInput, checkConsent, DomainError, type Role } from "@zjh/domain";
import type { Ctx } from "../../common/context.js";
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
import { findUnit } from "../org/org.repository.js";
import { lockCampaignFinalization } from "../finalization/finalization-lock.util.js";
import { notifyTransition } from "../notification/notification.service.js";
import { insertConsent } from "./application.repository.js";
import {
  APP_COLUMNS, originOf, requireVisibleApplication, staleVersion, submitViolations, type ApplicationFormData, type ApplicationRow,
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

/**
 * Users listed on an application besides its owner: the person in charge it names, found by the
 * mobile bound to their account (a teacher's own form must give their own bound mobile).
 */
export const LISTED_USER_IDS_SQL = `ARRAY(SELECT lu.id::text FROM app_user lu
  WHERE NULLIF(a.form->>'mobile', '') IS NOT NULL AND lu.phone = a.form->>'mobile' ORDER BY lu.id)`;

const LEVEL_UNIT: Record<Exclude<ReviewLevel, "PROVINCE">, "school_id" | "county_id" | "city_id"> = { SCHOOL: "school_id", COUNTY: "county_id", CITY: "city_id" };

/**
 * The levels among `levels` whose unit has reviewers (unlocked holders of the level's role) and
 * every one of them is listed on the application: there the level above decides in their place.
 */
async function escalatedLevelsOf(sql: Sql, row: ApplicationRow, parties: string[], levels: ReviewLevel[]): Promise<ReviewLevel[]> {
  const out: ReviewLevel[] = [];
  for (const level of levels) {
    if (level === "PROVINCE") continue;
    const unitId = row[LEVEL_UNIT[level]];
    if (!unitId) continue;
    const r = await sql.one<{ listed: boolean | null; free: boolean | null }>(
      `SELECT bool_or(r.user_id::text = ANY($3::text[])) AS listed, bool_or(NOT (r.user_id::text = ANY($3::text[]))) AS free
         FROM role_assignment r JOIN app_user u ON u.id = r.user_id WHERE r.role = $1 AND r.unit_id = $2 AND NOT u.locked`,
      [LEVEL_ROLES[level], unitId, parties],
    );
    if (r?.listed && !r.free) out.push(level);
  }
  return out;
}

/**
 * The application as the domain rules take it. `forRole`: only the escalations that role could
 * use are looked up (the reviewer role of the level above), so lists of buttons stay cheap.
 */
export async function pipelineApplication(sql: Sql, row: ApplicationRow, forRole?: Role): Promise<PipelineApplication> {
  const r = (await sql.one<{ listed: string[]; final: boolean; published: boolean }>(
    `SELECT ${LISTED_USER_IDS_SQL} AS listed,
            EXISTS (SELECT 1 FROM finalization_category f WHERE f.campaign_id = a.campaign_id AND f.category_code = a.category_code AND f.state = 'FINAL') AS final,
            EXISTS (SELECT 1 FROM publication p WHERE p.campaign_id = a.campaign_id) AS published
       FROM application a WHERE a.id = $1`,
    [row.id],
  ))!;
  const listed = (r.listed ?? []).map(String);
  const parties = [String(row.applicant_user_id), ...listed];
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
    origin: await originOf(sql, row),
    listedUserIds: listed,
    escalatedLevels: candidates.length ? await escalatedLevelsOf(sql, row, parties, candidates) : [],
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
    const f = await tx.one<{ form: ApplicationFormData }>(`SELECT a.form FROM application a WHERE a.id = $1`, [row.id]);
    snapshot = f!.form;
    const v = await submitViolations(tx, row, c, snapshot);
    if (v.length) throw badInput(v);
    await assertAttachable(tx, null, { photoZip: snapshot.photoZipFileId ?? null, video: snapshot.videoFileId ?? null, caseDocument: snapshot.caseDocumentFileId ?? null }, row.id);
  }

  const updated = await tx.exec<ApplicationRow>(
    `UPDATE application a SET state = $4, current_level = $5, revision = $6, grade = COALESCE($7, a.grade), version = a.version + 1,
            last_action_at = now(), updated_at = now(),
            first_submitted_at = CASE WHEN $8 THEN COALESCE(a.first_submitted_at, now()) ELSE a.first_submitted_at END
      WHERE a.id = $1 AND a.state = $2 AND a.version = $3
      RETURNING ${APP_COLUMNS}`,
    [row.id, row.state, row.version, result.state, result.currentLevel, result.revision, result.grade, snapshot !== null],
  );
  if (!updated.rows.length) throw staleVersion();
  const next = updated.rows[0]!;

  if (snapshot) {
    await tx.exec(`INSERT INTO application_revision (application_id, revision, form, submitted_by) VALUES ($1, $2, $3, $4)`, [
      row.id, result.revision, JSON.stringify(snapshot), actor.userId,
    ]);
    await insertConsent(tx, { applicationId: row.id, revision: result.revision, userId: actor.userId, version: consent!.version, text: consent!.text });
  }

  const h = await tx.one<{ id: string }>(
    `INSERT INTO review_action (application_id, revision, action, from_state, from_level, to_state, to_level, level, actor_user_id, actor_role, actor_unit_id, comment, grade)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
    [row.id, entry.revision, entry.action, entry.fromState, entry.fromLevel, entry.toState, entry.toLevel, entry.level, actor.userId, actor.role, actor.unitId, entry.comment, entry.grade],
  );
  const actionId = String(h!.id);

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
  const params: unknown[] = [c.row.id, [...CLOSABLE_STATES]];
  if (categoryCode) params.push(categoryCode);
  const rows = await tx.rows<ApplicationRow>(
    `SELECT ${APP_COLUMNS} FROM application a WHERE a.campaign_id = $1 AND a.state = ANY($2::text[])${categoryCode ? " AND a.category_code = $3" : ""} ORDER BY a.id`,
    params,
  );
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
  if (!ctx.auth?.acting) return [];
  const actor = await actorOf(ctx);
  return allowedActions(await pipelineApplication(ctx.db, row, actor.role), domainActor(actor));
}
