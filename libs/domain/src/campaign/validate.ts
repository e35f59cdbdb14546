import type { FieldViolation } from "../errors.js";
import { validateGradingScheme } from "../finalization/grading.js";
import { validatePipelineConfig } from "../pipeline/levels.js";
import { rubricProblems } from "../rubric/rubrics.js";
import { isCalendarDate } from "./deadline.js";
import type { Campaign, CategoryQuota } from "./types.js";

const isCount = (n: unknown): boolean => typeof n === "number" && Number.isInteger(n) && n >= 0;

function quotaViolations(q: CategoryQuota, field: string, out: FieldViolation[]): void {
  const single: (keyof CategoryQuota)[] = ["perCounty", "perCityFromEachCounty", "perCityDirect", "practiceBasePerCity"];
  for (const key of single) {
    const n = q[key];
    if (n !== undefined && !isCount(n)) out.push({ field: `${field}.${key}`, rule: "integer", message: `名额须为非负整数，实际为${String(n)}` });
  }
  for (const [city, n] of Object.entries(q.perCity ?? {})) {
    if (!isCount(n)) out.push({ field: `${field}.perCity.${city}`, rule: "integer", message: `设区市${city}的名额须为非负整数，实际为${String(n)}` });
  }
}

/** Problems of a campaign configuration as a province admin saves it (empty when sound). */
export function validateCampaign(campaign: Campaign): FieldViolation[] {
  const v: FieldViolation[] = [];
  if (!Number.isInteger(campaign.year) || campaign.year < 2000 || campaign.year > 2100) {
    v.push({ field: "year", rule: "range", message: `活动年度须为2000–2100之间的整数，实际为${campaign.year}` });
  }
  if (campaign.title.trim() === "") v.push({ field: "title", rule: "required", message: "请填写活动名称" });

  const seen = new Set<string>();
  campaign.stages.forEach((s, i) => {
    const field = `stages[${i}]`;
    if (seen.has(s.stage)) v.push({ field: `${field}.stage`, rule: "unique", message: `阶段「${s.name}」重复设置` });
    seen.add(s.stage);
    if (s.deadline !== null && !isCalendarDate(s.deadline)) {
      v.push({ field: `${field}.deadline`, rule: "date", message: `「${s.name}」的截止日期「${s.deadline}」须为YYYY-MM-DD格式的有效日期` });
    }
    for (const [unit, d] of Object.entries(s.unitDeadlines ?? {})) {
      if (!isCalendarDate(d)) v.push({ field: `${field}.unitDeadlines.${unit}`, rule: "date", message: `「${s.name}」单位${unit}的截止日期「${d}」须为YYYY-MM-DD格式的有效日期` });
    }
  });

  v.push(...validatePipelineConfig(campaign.pipeline));

  const codes = new Set<string>();
  campaign.categories.forEach((c, i) => {
    const field = `categories[${i}]`;
    if (!/^[A-Z][A-Z0-9_]*$/.test(c.code)) v.push({ field: `${field}.code`, rule: "format", message: `类别代码「${c.code}」须由大写字母、数字和下划线组成` });
    if (codes.has(c.code)) v.push({ field: `${field}.code`, rule: "unique", message: `类别代码「${c.code}」重复` });
    codes.add(c.code);
    if (c.name.trim() === "") v.push({ field: `${field}.name`, rule: "required", message: "请填写类别名称" });
    quotaViolations(c.quota, `${field}.quota`, v);
    for (const p of rubricProblems(c.rubric)) v.push({ field: `${field}.rubric`, rule: "rubric", message: `「${c.name}」评分表：${p}` });
    const ids = new Set<string>();
    for (const cr of c.criteria) {
      if (ids.has(cr.id)) v.push({ field: `${field}.criteria`, rule: "unique", message: `「${c.name}」的条件编号「${cr.id}」重复` });
      ids.add(cr.id);
    }
  });

  const f = campaign.forms;
  if (!isCount(f.caseMinChars) || !isCount(f.caseMaxChars) || f.caseMinChars > f.caseMaxChars) {
    v.push({ field: "forms.caseMinChars", rule: "range", message: `案例字数下限${f.caseMinChars}须为不大于上限${f.caseMaxChars}的非负整数` });
  }
  const fin = campaign.finalization;
  if (!Number.isInteger(fin.expertsPerApplication) || fin.expertsPerApplication < 1) {
    v.push({ field: "finalization.expertsPerApplication", rule: "range", message: "每件申报的评审专家数须为正整数" });
  }
  if (!(fin.spreadThreshold >= 0)) {
    v.push({ field: "finalization.spreadThreshold", rule: "range", message: "评分差异阈值须为非负数" });
  }
  for (const g of validateGradingScheme(fin.grading)) v.push({ ...g, field: `finalization.${g.field}` });
  return v;
}
