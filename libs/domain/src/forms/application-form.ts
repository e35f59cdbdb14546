import type { ApplicantKind, Campaign } from "../campaign/types.js";
import { APPLICANT_KIND_LABELS } from "../campaign/types.js";
import type { FieldViolation } from "../errors.js";
import { FormChecker, SCHOOL_STAGE_LABELS, TEXT_LIMITS, type FormMode, type SchoolStage } from "./rules.js";

/** The eight sections of the case (案例撰写格式), in order. */
export const CASE_SECTIONS = ["title", "byline", "summary", "background", "process", "results", "features", "reflection"] as const;
export type CaseSection = (typeof CASE_SECTIONS)[number];

export const CASE_SECTION_LABELS: Record<CaseSection, string> = {
  title: "标题",
  byline: "署名",
  summary: "概述",
  background: "背景与问题",
  process: "案例过程",
  results: "工作成效",
  features: "特色与创新",
  reflection: "案例反思",
};

/** Hard size limits of each section (code points, whitespace included), enforced on drafts too. */
export const CASE_SECTION_MAX: Record<CaseSection, number> = {
  title: 100,
  byline: 200,
  summary: 5000,
  background: 5000,
  process: 5000,
  results: 5000,
  features: 5000,
  reflection: 5000,
};

export type CaseSections = Partial<Record<CaseSection, string | null>>;

export const NEWS_LINKS_MAX = 10;

/** Annex 3: 网络教学空间信息登记表. */
export interface ApplicationForm {
  /** 县（市、区）. */
  county?: string | null;
  /** 学段. */
  stage?: SchoolStage | null;
  /** 单位. */
  unitName?: string | null;
  /** 负责人. */
  personInCharge?: string | null;
  /** 职务. */
  jobTitle?: string | null;
  /** 手机, the one bound to the platform account. */
  mobile?: string | null;
  /** 建设类型: an award category code of the campaign. */
  categoryCode?: string | null;
  /** 空间网址: the case must be shown on the space's home page. */
  spaceUrl?: string | null;
  case?: CaseSections | null;
  /**
   * 案例 "可附件上传": an uploaded case document (doc, docx or pdf) standing for the typed
   * sections; with it only the title is required and the length rule does not apply.
   */
  caseDocumentFileId?: string | null;
  /** 新闻报道 links. */
  newsLinks?: string[] | null;
}

export interface ApplicationFormContext {
  campaign: Pick<Campaign, "categories" | "forms">;
  /** The mobile bound to the applicant's account; when given, the form's mobile must equal it. */
  boundMobile?: string | null;
  /** The applicant's kind; when given, the category must be one for that kind. */
  applicantKind?: ApplicantKind | null;
  /** Whether 「县（市、区）」 must be filled (see `countyFieldOf`); default true. */
  countyRequired?: boolean;
}

/** Where the applicant's unit hangs in the tree, as far as the 「县（市、区）」 field cares. */
export interface ApplicantPlace {
  /** The applying unit's kind (SCHOOL, PRACTICE_BASE, DISTRICT, COUNTY, CITY, …). */
  unitKind: string;
  /** The county-level unit above (or at) the applying unit; null when it hangs under the city. */
  countyName: string | null;
  cityName: string;
}

/** How the form's 「县（市、区）」 field is shown, whether it is required, and its prefilled value. */
export interface CountyField {
  required: boolean;
  label: string;
  prefill: string | null;
}

/**
 * The 「县（市、区）」 field for an applicant. A unit under a county (a school, a district, the
 * county itself) fills it, prefilled with that county. A practice base (实践教育基地) and a city's
 * own units hang under the city with no county: the field is not required, shown as the city,
 * and prefilled with the city's name.
 */
export function countyFieldOf(place: ApplicantPlace): CountyField {
  if (place.countyName) return { required: true, label: "县（市、区）", prefill: place.countyName };
  return { required: false, label: "所属设区市", prefill: place.cityName };
}

/** Whitespace, control and invisible format characters (zero-width space, BOM, …) do not count. */
const NOT_COUNTED = /[\s\p{Cc}\p{Cf}]/u;

/**
 * Case length as the notice counts it ("Chinese characters count one each"): every Unicode code
 * point of the sections' text except whitespace (including the ideographic space U+3000), control
 * and invisible format characters. A Chinese character, a letter, a digit and a punctuation mark
 * each count one. With sections, all eight are counted, title and byline included.
 */
export function countCaseCharacters(value: string | CaseSections | null | undefined): number {
  if (value == null) return 0;
  if (typeof value === "string") {
    let n = 0;
    for (const ch of value) if (!NOT_COUNTED.test(ch)) n++;
    return n;
  }
  return CASE_SECTIONS.reduce((sum, s) => {
    const text = value[s];
    return sum + (typeof text === "string" ? countCaseCharacters(text) : 0);
  }, 0);
}

/** Whether the form carries an uploaded case document in place of the typed case. */
export function hasCaseDocument(form: Pick<ApplicationForm, "caseDocumentFileId">): boolean {
  return typeof form.caseDocumentFileId === "string" && form.caseDocumentFileId.trim() !== "";
}

export function validateApplicationForm(form: ApplicationForm, mode: FormMode, ctx: ApplicationFormContext): FieldViolation[] {
  const c = new FormChecker(mode);
  const { campaign } = ctx;
  const countyRequired = ctx.countyRequired ?? true;
  c.text("county", countyRequired ? "县（市、区）" : "所属设区市", form.county, { max: TEXT_LIMITS.region, required: countyRequired });
  c.choice("stage", "学段", form.stage, SCHOOL_STAGE_LABELS);
  c.text("unitName", "单位", form.unitName, { max: TEXT_LIMITS.unitName });
  c.text("personInCharge", "负责人", form.personInCharge, { max: TEXT_LIMITS.name });
  c.text("jobTitle", "职务", form.jobTitle, { max: TEXT_LIMITS.jobTitle });
  const mobile = c.mobile("mobile", "手机", form.mobile);
  if (mobile !== null && ctx.boundMobile && mobile !== ctx.boundMobile) {
    c.add("mobile", "boundMobile", "「手机」须与之江汇账号绑定的手机号码一致");
  }

  const categoryLabels = Object.fromEntries(campaign.categories.map((cat) => [cat.code, cat.name]));
  const code = c.choice("categoryCode", "建设类型", form.categoryCode, categoryLabels);
  if (code !== null && ctx.applicantKind) {
    const category = campaign.categories.find((cat) => cat.code === code)!;
    if (category.applicantKind !== ctx.applicantKind) {
      const allowed = campaign.categories.filter((cat) => cat.applicantKind === ctx.applicantKind).map((cat) => cat.name);
      c.add(
        "categoryCode",
        "categoryKind",
        `${APPLICANT_KIND_LABELS[ctx.applicantKind]}不能申报「${category.name}」${allowed.length ? `，可申报：${allowed.join("、")}` : ""}`,
      );
    }
  }

  c.url("spaceUrl", "空间网址", form.spaceUrl, { hosts: campaign.forms.spaceUrlHosts });

  const caseObj = c.object("case", "案例", form.case) as CaseSections;
  const document = hasCaseDocument(form);
  for (const s of CASE_SECTIONS) {
    // With a case document the typed sections are optional (their sizes still apply); the title names the application in every list.
    c.text(`case.${s}`, `案例·${CASE_SECTION_LABELS[s]}`, caseObj[s], { max: CASE_SECTION_MAX[s], required: s === "title" || !document });
  }
  const total = countCaseCharacters(caseObj);
  const { caseMinChars: min, caseMaxChars: max } = campaign.forms;
  if (mode === "submit" && !document && !c.violations.some((v) => v.field.startsWith("case")) && (total < min || total > max)) {
    c.add("case", "caseLength", `「案例」字数须在${min}–${max}字之间（不计空白），当前${total}字`);
  }

  const links = c.list<unknown>("newsLinks", "新闻报道链接", form.newsLinks, { min: 0, max: NEWS_LINKS_MAX });
  links.forEach((l, i) => c.url(`newsLinks[${i}]`, `第${i + 1}个新闻报道链接`, l));
  return c.violations;
}

