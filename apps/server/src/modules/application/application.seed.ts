import { CURRENT_CONSENT_VERSION, type Role } from "@zjh/domain";
import type { Tx } from "../../db/data-source.js";
import type { DemoSeeder } from "../../db/demo-seeder.js";
import { demoCampaignId } from "../campaign/campaign.seed.js";
import { loadCampaign } from "../campaign/campaign.service.js";
import type { CaseSections, PipelineAction } from "../campaign/domain.js";
import { unitKey } from "../campaign/unit-key.util.js";
import type { ApplicationFormData, ApplicationRow } from "./application.service.js";
import { insertApplication } from "./application.service.js";
import { applyTransition, type PipelineActor } from "./pipeline.service.js";
import { seedActorOf, seedFormOf, seedUserOf, seedWriteForm } from "./application.repository.js";

/** A case of the demo, about 1,200 characters over the eight sections. */
export function demoCase(title: string, byline: string, subject: string): CaseSections {
  const p = (s: string, n: number) => Array.from({ length: n }, () => s).join("");
  return {
    title,
    byline,
    summary: `本案例介绍${subject}教师依托之江汇教育广场网络学习空间开展日常教学的做法。` + p("空间集成了备课、授课、作业与互动等功能，形成了课前、课中、课后一体化的教学流程。", 2),
    background: p(`过去${subject}课堂以讲授为主，学生课前预习缺少指导，课后作业反馈不及时，家校沟通渠道分散。`, 2) + "为解决这些问题，我们尝试以网络学习空间为中心重构教学流程。",
    process: p("第一阶段，完善空间档案与栏目设置，上传校本资源并按单元整理；第二阶段，利用教学端开展备授课，课前推送微课与预习任务，课中开展互动测评；第三阶段，组织学生在空间内提交作品、开展互评，教师及时点评反馈。", 4),
    results: p("一年来，空间累计发布资源三百余条，其中多条入选省级资源库；学生作业提交率和按时完成率明显提高，家长通过空间了解学习情况。", 3),
    features: p("一是以空间为枢纽整合各类应用；二是以数据为依据开展精准教学；三是以活动为载体激发学生参与。", 3),
    reflection: p("实践中也发现部分学生自主学习能力不足、空间资源更新不够及时等问题，今后将加强资源的系统建设，并探索跨校协同教研。", 2),
  };
}

async function actor(tx: Tx, account: string, role: Role): Promise<PipelineActor> {
  const r = await seedActorOf(tx, account, role);
  if (!r) throw new Error(`seed: ${account} has no role ${role}`);
  return { userId: String(r.user_id), role, unitId: String(r.unit_id), unitKey: unitKey({ id: r.unit_id, code: r.code }) };
}

interface DemoApp {
  account: string;
  role: Role;
  category: string;
  title: string;
  subject: string;
  jobTitle: string;
  stage: ApplicationFormData["stage"];
  steps: [account: string, role: Role, action: PipelineAction][];
  /** Edits the applicant makes before resubmitting after a return. */
  revise?: (f: ApplicationFormData) => ApplicationFormData;
}

/**
 * Demo applications of the 2023 campaign in various states across 瑞安市, 鹿城区 and 杭州, so
 * every reviewer demo account has a queue, and one application shows two revisions. They are
 * built through the same pipeline transitions users trigger (history, quota places, notices).
 */
export const applicationSeeder: DemoSeeder = {
  name: "applications-2023",
  async run(tx) {
    const campaignId = await demoCampaignId(tx);
    if (!campaignId) return;
    const c = (await loadCampaign(tx, campaignId))!;
    const apps: DemoApp[] = [
      { account: "ra_teacher2", role: "TEACHER", category: "TEACHING_SPACE", title: "数学空间里的“翻转课堂”", subject: "数学", jobTitle: "数学教研组长", stage: "JUNIOR", steps: [] },
      {
        account: "ra_teacher3", role: "TEACHER", category: "TEACHING_SPACE", title: "英语绘本阅读空间建设与应用", subject: "英语", jobTitle: "英语教师", stage: "PRIMARY",
        steps: [["ra_county", "COUNTY_REVIEWER", { type: "recommend", comment: "空间建设扎实，同意推荐。" }]],
      },
      {
        account: "ra_teacher4", role: "TEACHER", category: "LECTURER_SPACE", title: "区域科学讲师团的空间实践", subject: "科学", jobTitle: "科学教研员", stage: "JUNIOR",
        steps: [["ra_county", "COUNTY_REVIEWER", { type: "return", comment: "请在“工作成效”中补充本年度讲座的次数与听众人数。" }], ["ra_teacher4", "TEACHER", { type: "resubmit" }]],
        revise: (f) => ({ ...f, case: { ...f.case, results: `${f.case?.results ?? ""}本年度共开展空间应用讲座八次，累计听众六百余人次。` } }),
      },
      { account: "lc_teacher1", role: "TEACHER", category: "TEACHING_SPACE", title: "小学语文“读写共生”空间", subject: "语文", jobTitle: "语文教师", stage: "PRIMARY", steps: [] },
      {
        account: "hz_teacher1", role: "TEACHER", category: "TEACHING_SPACE", title: "以空间为中心的语文单元教学", subject: "语文", jobTitle: "语文教师", stage: "PRIMARY",
        steps: [
          ["xh_county", "COUNTY_REVIEWER", { type: "recommend", comment: "推荐。" }],
          ["hz_city", "CITY_REVIEWER", { type: "recommend", comment: "经市级评审，同意推荐至省级。" }],
        ],
      },
      {
        account: "hz_teacher2", role: "TEACHER", category: "LECTURER_SPACE", title: "数学讲师团的线上研修", subject: "数学", jobTitle: "数学教师", stage: "PRIMARY",
        steps: [],
      },
      { account: "ra_school_admin", role: "SCHOOL_ADMIN", category: "SCHOOL", title: "瑞安市实验中学空间普及应用", subject: "学校", jobTitle: "副校长", stage: "JUNIOR", steps: [] },
      { account: "ra_county", role: "COUNTY_REVIEWER", category: "REGION", title: "瑞安市空间应用区域推进", subject: "区域", jobTitle: "教育技术中心主任", stage: "CROSS_STAGE", steps: [] },
    ];
    for (const d of apps) {
      const applicant = await actor(tx, d.account, d.role);
      let row: ApplicationRow = await insertApplication(tx, { campaign: c, categoryCode: d.category, userId: applicant.userId, unitId: applicant.unitId });
      const draft = await seedFormOf(tx, row.id);
      const user = await seedUserOf(tx, applicant.userId);
      const form: ApplicationFormData = {
        ...draft,
        stage: d.stage,
        jobTitle: d.jobTitle,
        mobile: user.phone ?? "13800000000",
        spaceUrl: `https://${d.account.replace(/_/g, "")}.zjer.cn/`,
        case: demoCase(d.title, `${draft.unitName ?? ""}　${user.name}`, d.subject),
        newsLinks: [],
      };
      await seedWriteForm(tx, row.id, form, d.title);
      row = (await applyTransition(tx, row, { type: "submit" }, applicant, { campaign: c, consentVersion: CURRENT_CONSENT_VERSION })).row;
      for (const [account, role, action] of d.steps) {
        if (action.type === "resubmit" && d.revise) {
          const cur = await seedFormOf(tx, row.id);
          await seedWriteForm(tx, row.id, d.revise(cur));
        }
        row = (await applyTransition(tx, row, action, await actor(tx, account, role), { campaign: c, consentVersion: CURRENT_CONSENT_VERSION })).row;
      }
    }
  },
};
