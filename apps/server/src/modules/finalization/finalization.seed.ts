import { CURRENT_CONSENT_VERSION, type Role } from "@zjh/domain";
import type { Tx } from "../../db/data-source.js";
import type { DemoSeeder } from "../../db/demo-seeder.js";
import { demoCase } from "../application/application.seed.js";
import { insertApplication, type ApplicationFormData, type ApplicationRow } from "../application/application.service.js";
import { applyTransition, type PipelineActor } from "../application/pipeline.service.js";
import { demoCampaignId } from "../campaign/campaign.seed.js";
import { loadCampaign } from "../campaign/campaign.service.js";
import { unitKey } from "../campaign/unit-key.util.js";

async function actor(tx: Tx, account: string, role: Role): Promise<PipelineActor | null> {
  const r = await tx.one<{ user_id: string; unit_id: string; code: string | null }>(
    `SELECT r.user_id, r.unit_id, o.code FROM role_assignment r JOIN app_user u ON u.id = r.user_id JOIN org_unit o ON o.id = r.unit_id
      WHERE u.account = $1 AND r.role = $2 ORDER BY r.id LIMIT 1`,
    [account, role],
  );
  return r ? { userId: String(r.user_id), role, unitId: String(r.unit_id), unitKey: unitKey({ id: r.unit_id, code: r.code }) } : null;
}

/**
 * Expert work for the demo: the practice-base teacher's teaching space is recommended by 温州
 * to the province and given every expert from another city and school (no conflicts), released,
 * so the expert demo accounts have an application to score and the province sees scoring
 * progress; the other application at the province stays waiting there, ready to be assigned.
 * Built through the same pipeline transitions users trigger.
 */
export const finalizationSeeder: DemoSeeder = {
  name: "finalization-2023",
  async run(tx) {
    const campaignId = await demoCampaignId(tx);
    const admin = await actor(tx, "prov_admin", "PROVINCE_ADMIN");
    const teacher = await actor(tx, "pb_teacher1", "TEACHER");
    const city = await actor(tx, "wz_city", "CITY_REVIEWER");
    if (!campaignId || !admin || !teacher || !city) return;
    const c = (await loadCampaign(tx, campaignId))!;

    let row: ApplicationRow = await insertApplication(tx, { campaign: c, categoryCode: "TEACHING_SPACE", userId: teacher.userId, unitId: teacher.unitId });
    const draft = (await tx.one<{ form: ApplicationFormData }>(`SELECT form FROM application WHERE id = $1`, [row.id]))!.form;
    const title = "科技实践基地的空间课程群建设";
    const form: ApplicationFormData = {
      ...draft, county: draft.county ?? "温州市", stage: "JUNIOR", jobTitle: "科学教师", spaceUrl: "https://hezhiyuan.zjer.cn/",
      case: demoCase(title, `${draft.unitName ?? ""}　何志远`, "科学"), newsLinks: [],
    };
    await tx.exec(`UPDATE application SET form = $2, title = $3 WHERE id = $1`, [row.id, JSON.stringify(form), title]);
    row = (await applyTransition(tx, row, { type: "submit" }, teacher, { campaign: c, consentVersion: CURRENT_CONSENT_VERSION })).row;
    row = (await applyTransition(tx, row, { type: "recommend", comment: "实践基地特色鲜明，同意推荐。" }, city, { campaign: c })).row;

    const pairs = await tx.rows<{ application_id: string; expert_id: string }>(
      `SELECT a.id AS application_id, eu.id AS expert_id
         FROM application a JOIN org_unit au ON au.id = a.applicant_unit_id
         CROSS JOIN app_user eu JOIN org_unit eo ON eo.id = eu.home_unit_id
        WHERE a.id = $1
          AND EXISTS (SELECT 1 FROM role_assignment r WHERE r.user_id = eu.id AND r.role = 'EXPERT') AND NOT eu.locked
          AND eu.id <> a.applicant_user_id AND eo.city_id IS DISTINCT FROM a.city_id AND eo.id <> au.id
        ORDER BY eu.id`,
      [row.id],
    );
    for (const p of pairs) {
      await tx.exec(
        `INSERT INTO expert_assignment (campaign_id, application_id, expert_user_id, state, origin, created_by, released_by, released_at)
         VALUES ($1, $2, $3, 'RELEASED', 'AUTO', $4, $4, now())`,
        [campaignId, p.application_id, p.expert_id, admin.userId],
      );
    }
    if (pairs.length) await applyTransition(tx, row, { type: "startExpertReview" }, admin, { campaign: c });
  },
};
