import { describe, expect, it } from "vitest";
import { demoCampaign2023 } from "../campaign/demo-2023.js";
import { CASE_SECTIONS, countCaseCharacters, countyFieldOf, validateApplicationForm, type ApplicationForm, type CaseSections } from "./application-form.js";
import { validateClubRegistrationForm, type ClubRegistrationForm } from "./club-registration-form.js";
import { validateRegionalContactForm, type RegionalContactForm } from "./regional-contact-form.js";
import { diffRevisions } from "./revision-diff.js";
import { validateDraft, validateForSubmit } from "./validate.js";

const rules = (v: { field: string; rule: string }[]) => v.map((x) => `${x.field}:${x.rule}`);
const campaign = demoCampaign2023();

describe("countCaseCharacters", () => {
  it.each<[string, string, number]>([
    ["Chinese characters one each", "空间应用案例", 6],
    ["punctuation counts", "空间，应用。", 6],
    ["letters and digits one each", "AI 2023", 6],
    ["whitespace, newlines and the ideographic space do not count", " 空间\n\t应用\u3000案例 ", 6],
    ["zero-width and BOM characters do not count", "空\u200b间\ufeff", 2],
    ["an emoji outside the BMP counts one", "好😀", 2],
    ["empty", "", 0],
  ])("%s", (_n, text, n) => expect(countCaseCharacters(text)).toBe(n));

  it("adds up all eight sections, title and byline included", () => {
    expect(countCaseCharacters({ title: "标题", byline: "瑞安市 某某", summary: "概述", reflection: null })).toBe(9);
    expect(countCaseCharacters(null)).toBe(0);
  });
});

const caseOf = (bodyChars: number): CaseSections => {
  const perSection = Math.floor((bodyChars - 8) / 6);
  const rest = bodyChars - 8 - perSection * 6;
  return {
    title: "空间赋能课堂",
    byline: "瑞安",
    summary: "概".repeat(perSection + rest),
    background: "背".repeat(perSection),
    process: "过".repeat(perSection),
    results: "效".repeat(perSection),
    features: "特".repeat(perSection),
    reflection: "思".repeat(perSection),
  };
};

const completeApplication = (over: Partial<ApplicationForm> = {}): ApplicationForm => ({
  county: "瑞安市",
  stage: "PRIMARY",
  unitName: "瑞安市实验小学",
  personInCharge: "张老师",
  jobTitle: "教师",
  mobile: "13800138000",
  categoryCode: "TEACHING_SPACE",
  spaceUrl: "https://yun.zjer.cn/index.php?r=space/person/index&sid=1",
  case: caseOf(1500),
  newsLinks: ["https://www.ruian.gov.cn/news/1"],
  ...over,
});

describe("validateApplicationForm with a case document (案例可附件上传)", () => {
  const ctx = { campaign: { categories: [], forms: { caseMinChars: 1000, caseMaxChars: 3000, spaceUrlHosts: [] } } } as unknown as Parameters<typeof validateApplicationForm>[2];
  const sectionsRequired = (v: { field: string; rule: string }[]) => v.filter((x) => x.field.startsWith("case")).map((x) => `${x.field}:${x.rule}`);

  it("needs only the title when a document stands for the case, and no length rule", () => {
    expect(sectionsRequired(validateApplicationForm({ case: { title: "空间育人" }, caseDocumentFileId: "a".repeat(32) }, "submit", ctx))).toEqual([]);
    expect(sectionsRequired(validateApplicationForm({ case: {}, caseDocumentFileId: "a".repeat(32) }, "submit", ctx))).toEqual(["case.title:required"]);
  });

  it("still requires every section and the length without a document", () => {
    const v = sectionsRequired(validateApplicationForm({ case: { title: "空间育人" } }, "submit", ctx));
    expect(v).toContain("case.summary:required");
    expect(sectionsRequired(validateApplicationForm({ case: { title: "空间育人" }, caseDocumentFileId: "  " }, "submit", ctx))).toContain("case.process:required");
  });

  it("keeps the size limits of typed sections beside a document", () => {
    expect(sectionsRequired(validateApplicationForm({ case: { title: "空间育人", summary: "字".repeat(5001) }, caseDocumentFileId: "a".repeat(32) }, "draft", ctx))).toEqual(["case.summary:maxLength"]);
  });
});

describe("validateApplicationForm", () => {
  const ctx = { campaign };

  it("accepts a complete application", () => {
    expect(validateApplicationForm(completeApplication(), "submit", ctx)).toEqual([]);
  });

  it.each<[number, boolean]>([
    [999, false],
    [1000, true],
    [3000, true],
    [3001, false],
  ])("a case of %d characters is accepted: %s", (n, ok) => {
    const v = validateApplicationForm(completeApplication({ case: caseOf(n) }), "submit", ctx);
    expect(countCaseCharacters(caseOf(n))).toBe(n);
    expect(rules(v)).toEqual(ok ? [] : ["case:caseLength"]);
  });

  it("states the count in the message", () => {
    expect(validateApplicationForm(completeApplication({ case: caseOf(800) }), "submit", ctx)[0]!.message).toBe("「案例」字数须在1000–3000字之间（不计空白），当前800字");
  });

  it("does not count padding whitespace toward the minimum", () => {
    const padded = { ...caseOf(990), reflection: `${caseOf(990).reflection}${" ".repeat(50)}\n\n` };
    expect(rules(validateApplicationForm(completeApplication({ case: padded }), "submit", ctx))).toEqual(["case:caseLength"]);
  });

  it("requires every field and every case section on submission", () => {
    const v = validateApplicationForm({}, "submit", ctx);
    expect(rules(v)).toEqual([
      "county:required",
      "stage:required",
      "unitName:required",
      "personInCharge:required",
      "jobTitle:required",
      "mobile:required",
      "categoryCode:required",
      "spaceUrl:required",
      ...CASE_SECTIONS.map((s) => `case.${s}:required`),
    ]);
    expect(v.find((x) => x.field === "case.background")!.message).toBe("请填写「案例·背景与问题」");
  });

  it("saves an empty draft", () => {
    expect(validateApplicationForm({}, "draft", ctx)).toEqual([]);
  });

  it("lets a draft hold a short or long case, but not beyond the hard section limits", () => {
    expect(validateApplicationForm({ case: caseOf(200) }, "draft", ctx)).toEqual([]);
    expect(validateApplicationForm({ case: caseOf(4000) }, "draft", ctx)).toEqual([]);
    expect(rules(validateApplicationForm({ case: { summary: "长".repeat(5001) } }, "draft", ctx))).toEqual(["case.summary:maxLength"]);
    expect(rules(validateApplicationForm({ case: { title: "题".repeat(101) } }, "draft", ctx))).toEqual(["case.title:maxLength"]);
  });

  it.each<[string, Partial<ApplicationForm>, string[]]>([
    ["a bad mobile", { mobile: "1380013800" }, ["mobile:mobile"]],
    ["an unknown stage", { stage: "COLLEGE" as ApplicationForm["stage"] }, ["stage:enum"]],
    ["an unknown category", { categoryCode: "BEST_TEACHER" }, ["categoryCode:enum"]],
    ["a space URL off the platform", { spaceUrl: "https://example.com/space" }, ["spaceUrl:urlHost"]],
    ["a space URL that is no URL", { spaceUrl: "yun.zjer.cn/space" }, ["spaceUrl:url"]],
    ["a bad news link", { newsLinks: ["https://ok.cn/1", "news"] }, ["newsLinks[1]:url"]],
    ["eleven news links", { newsLinks: Array.from({ length: 11 }, (_, i) => `https://a.cn/${i}`) }, ["newsLinks:maxItems"]],
    ["a number where text belongs", { unitName: 42 as unknown as string }, ["unitName:type"]],
    ["an overlong unit name", { unitName: "校".repeat(101) }, ["unitName:maxLength"]],
  ])("flags %s in a draft too", (_n, over, expected) => {
    const form = { ...over };
    expect(rules(validateApplicationForm(form, "draft", ctx))).toEqual(expected);
    expect(rules(validateApplicationForm(completeApplication(over), "submit", ctx))).toEqual(expected);
  });

  it("names the field and the rule in Chinese", () => {
    const [v] = validateApplicationForm({ mobile: "12345" }, "draft", ctx);
    expect(v).toEqual({ field: "mobile", rule: "mobile", message: "「手机」须为11位手机号码（以13–19开头），当前为“12345”" });
  });

  it("requires the mobile bound to the account", () => {
    expect(rules(validateApplicationForm(completeApplication(), "submit", { campaign, boundMobile: "13900139000" }))).toEqual(["mobile:boundMobile"]);
    expect(validateApplicationForm(completeApplication(), "submit", { campaign, boundMobile: "13800138000" })).toEqual([]);
  });

  it("refuses a category of another applicant kind", () => {
    const v = validateApplicationForm(completeApplication({ categoryCode: "SCHOOL" }), "submit", { campaign, applicantKind: "TEACHER" });
    expect(v).toEqual([{ field: "categoryCode", rule: "categoryKind", message: "教师不能申报「空间应用优秀学校」，可申报：优秀教学空间、优秀讲师空间" }]);
  });

  it("trims what it checks", () => {
    expect(validateApplicationForm(completeApplication({ mobile: " 13800138000 " }), "submit", ctx)).toEqual([]);
  });

  it("follows the campaign's own bounds and hosts", () => {
    const other = demoCampaign2023();
    other.forms = { caseMinChars: 500, caseMaxChars: 800, spaceUrlHosts: [] };
    expect(rules(validateApplicationForm(completeApplication({ case: caseOf(700), spaceUrl: "https://example.com/s" }), "submit", { campaign: other }))).toEqual([]);
  });
});

const completeContact = (over: Partial<RegionalContactForm> = {}): RegionalContactForm => ({
  contactName: "王老师",
  cityCode: "330300",
  unitName: "温州市教育技术中心",
  jobTitle: "主任",
  officePhone: "0577-88888888",
  mobile: "13800138000",
  platformAccount: "wz_contact",
  postalAddress: "温州市鹿城区",
  stampedScanFileId: "file-1",
  ...over,
});

describe("validateRegionalContactForm", () => {
  it("accepts a complete contact, note optional", () => {
    expect(validateRegionalContactForm(completeContact(), "submit")).toEqual([]);
  });
  it("requires everything but the note", () => {
    expect(rules(validateRegionalContactForm({}, "submit"))).toEqual([
      "contactName:required", "cityCode:required", "unitName:required", "jobTitle:required", "officePhone:required",
      "mobile:required", "platformAccount:required", "postalAddress:required", "stampedScanFileId:required",
    ]);
  });
  it.each<[Partial<RegionalContactForm>, string[]]>([
    [{ officePhone: "88905096" }, ["officePhone:officePhone"]],
    [{ officePhone: "13800138000" }, ["officePhone:officePhone"]],
    [{ mobile: "0571-88905096" }, ["mobile:mobile"]],
    [{ cityCode: "温州" }, ["cityCode:divisionCode"]],
    [{ platformAccount: "王 老师" }, ["platformAccount:account"]],
    [{ note: "实践教育基地管理部门".repeat(60) }, ["note:maxLength"]],
  ])("flags %j", (over, expected) => {
    expect(rules(validateRegionalContactForm(completeContact(over), "submit"))).toEqual(expected);
  });
  it("explains the office phone format", () => {
    expect(validateRegionalContactForm({ officePhone: "88905096" }, "draft")[0]!.message).toContain("如0571-88905096");
  });
});

const completeClub = (over: Partial<ClubRegistrationForm> = {}): ClubRegistrationForm => ({
  region: "温州市瑞安市",
  stage: "PRIMARY",
  unitName: "瑞安市实验小学",
  leaderName: "李老师",
  leaderPhone: "13800138000",
  adminName: "陈老师",
  adminPhone: "0577-65812345",
  members: [{ name: "赵老师", unit: "瑞安市实验小学", title: "一级教师", task: "课程设计" }],
  direction: "AGRICULTURE",
  plan: { time: "2023年5月起", audience: "四至六年级学生", content: "校园种植观察", schedule: "每月一次", measures: "教师轮值指导" },
  theme: "校园里的二十四节气",
  schedule: "5月启动，9月展示",
  lessons: [
    { no: 1, title: "认识节气", lecturer: "李老师", unit: "瑞安市实验小学", mobile: "13800138000" },
    { no: 2, title: "种下一颗种子", lecturer: "赵老师", unit: "瑞安市实验小学", mobile: "13900139000" },
  ],
  ...over,
});

describe("validateClubRegistrationForm", () => {
  it("accepts a complete registration", () => {
    expect(validateClubRegistrationForm(completeClub(), "submit")).toEqual([]);
  });
  it("saves an empty draft", () => {
    expect(validateClubRegistrationForm({}, "draft")).toEqual([]);
  });
  it.each<[string, Partial<ClubRegistrationForm>, string[]]>([
    ["OTHER without its text", { direction: "OTHER" }, ["directionOther:required"]],
    ["an unknown direction", { direction: "SPORTS" as ClubRegistrationForm["direction"] }, ["direction:enum"]],
    ["no members", { members: [] }, ["members:minItems"]],
    ["a member without a task", { members: [{ name: "赵老师", unit: "实验小学", title: "教师" }] }, ["members[0].task:required"]],
    ["a phone that is neither mobile nor office", { leaderPhone: "12345" }, ["leaderPhone:phone"]],
    ["a plan without measures", { plan: { time: "5月", audience: "学生", content: "种植", schedule: "每月" } }, ["plan.measures:required"]],
    ["no lessons", { lessons: null }, ["lessons:minItems"]],
    ["a repeated lesson number", { lessons: [{ no: 1, title: "a", lecturer: "b", unit: "c", mobile: "13800138000" }, { no: 1, title: "d", lecturer: "e", unit: "f", mobile: "13800138000" }] }, ["lessons[1].no:unique"]],
    ["a lesson number that is not a positive whole number", { lessons: [{ no: 0.5, title: "a", lecturer: "b", unit: "c", mobile: "13800138000" }] }, ["lessons[0].no:integer"]],
    ["a lecturer with a bad mobile", { lessons: [{ no: 1, title: "a", lecturer: "b", unit: "c", mobile: "0577-6581234" }] }, ["lessons[0].mobile:mobile"]],
  ])("flags %s", (_n, over, expected) => {
    expect(rules(validateClubRegistrationForm(completeClub(over), "submit"))).toEqual(expected);
  });
  it("accepts OTHER with its text", () => {
    expect(validateClubRegistrationForm(completeClub({ direction: "OTHER", directionOther: "非遗传承" }), "submit")).toEqual([]);
  });
  it("names the member in the message", () => {
    const v = validateClubRegistrationForm(completeClub({ members: [{ name: "赵老师", unit: "实验小学", title: "教师" }] }), "submit");
    expect(v[0]!.message).toBe("请填写「第1位团队成员的建设分工」");
  });
});

describe("validateDraft / validateForSubmit", () => {
  it("dispatch by form kind", () => {
    expect(validateDraft({ kind: "REGIONAL_CONTACT", data: {} })).toEqual([]);
    expect(validateForSubmit({ kind: "REGIONAL_CONTACT", data: completeContact() })).toEqual([]);
    expect(validateForSubmit({ kind: "CLUB_REGISTRATION", data: {} }).length).toBeGreaterThan(0);
    expect(validateForSubmit({ kind: "APPLICATION", data: completeApplication(), context: { campaign } })).toEqual([]);
  });
});

describe("diffRevisions", () => {
  it("lists the fields a resubmission changed, in form order", () => {
    const before = completeApplication({ newsLinks: [] });
    const after = { ...before, mobile: "13900139000", case: { ...before.case, summary: "新的概述" }, newsLinks: ["https://a.cn/1"] };
    expect(diffRevisions(before, after)).toEqual([
      { field: "mobile", before: "13800138000", after: "13900139000" },
      { field: "case.summary", before: (before.case as CaseSections).summary, after: "新的概述" },
      { field: "newsLinks[0]", before: null, after: "https://a.cn/1" },
    ]);
  });
  it("treats absent, null and blank alike", () => {
    expect(diffRevisions({ note: "" }, { note: null })).toEqual([]);
    expect(diffRevisions({}, { note: "  " })).toEqual([]);
    expect(diffRevisions({ a: 1 }, { a: 1 })).toEqual([]);
  });
});

describe("countyFieldOf (「县（市、区）」 by where the applicant hangs)", () => {
  it("a unit under a county fills the county, prefilled", () => {
    expect(countyFieldOf({ unitKind: "SCHOOL", countyName: "瑞安市", cityName: "温州市" })).toEqual({ required: true, label: "县（市、区）", prefill: "瑞安市" });
  });
  it("a practice base under the city needs no county: the city is shown and prefilled", () => {
    expect(countyFieldOf({ unitKind: "PRACTICE_BASE", countyName: null, cityName: "温州市" })).toEqual({ required: false, label: "所属设区市", prefill: "温州市" });
  });
  it("submission requires the county unless the applicant has none", () => {
    const ctx = { campaign };
    const form = completeApplication({ county: null });
    expect(validateApplicationForm(form, "submit", ctx).map((v) => `${v.field}:${v.rule}`)).toEqual(["county:required"]);
    expect(validateApplicationForm(form, "submit", { ...ctx, countyRequired: false })).toEqual([]);
  });
});
