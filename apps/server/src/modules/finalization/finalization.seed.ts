import { CURRENT_CONSENT_VERSION, type Role } from "@zjh/domain";
import type { Tx } from "../../db/data-source.js";
import type { DemoSeeder } from "../../db/demo-seeder.js";
import { demoCase } from "../application/application.seed.js";
import { workingFormsOf } from "../application/application.repository.js";
import { insertApplication, type ApplicationFormData, type ApplicationRow } from "../application/application.service.js";
import { applyTransition, type PipelineActor } from "../application/pipeline.service.js";
import { demoCampaignId } from "../campaign/campaign.seed.js";
import { loadCampaign } from "../campaign/campaign.service.js";
import { unitKey } from "../campaign/unit-key.util.js";
import { demoActorRow, demoExpertsWithoutConflict, demoReleasedAssignment, demoSetForm } from "./finalization.repository.js";

async function actor(tx: Tx, account: string, role: Role): Promise<PipelineActor | null> {
  const r = await demoActorRow(tx, account, role);
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
    const [draft] = await workingFormsOf(tx, [row.id]);
    const title = "科技实践基地的空间课程群建设";
    const form: ApplicationFormData = {
      ...draft, county: draft.county ?? "温州市", stage: "JUNIOR", jobTitle: "科学教师", spaceUrl: "https://hezhiyuan.zjer.cn/",
      case: demoCase(title, `${draft.unitName ?? ""}　何志远`, "科学"), newsLinks: [],
    };
    await demoSetForm(tx, row.id, form, title);
    row = (await applyTransition(tx, row, { type: "submit" }, teacher, { campaign: c, consentVersion: CURRENT_CONSENT_VERSION })).row;
    row = (await applyTransition(tx, row, { type: "recommend", comment: "实践基地特色鲜明，同意推荐。" }, city, { campaign: c })).row;

    const pairs = await demoExpertsWithoutConflict(tx, row.id);
    for (const p of pairs) {
      await demoReleasedAssignment(tx, { campaignId, applicationId: p.application_id, expertId: p.expert_id, userId: admin.userId });
    }
    if (pairs.length) await applyTransition(tx, row, { type: "startExpertReview" }, admin, { campaign: c });
  },
};
