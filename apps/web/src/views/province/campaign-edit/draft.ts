import type { ApplicantKind, ReviewLevel, StageCode } from "@/gql/graphql";
import type { SchemeDraft } from "../grading";

/** The campaign settings page's editable copy of a campaign, shared by its tabs. */

export const ALL_LEVELS: ReviewLevel[] = ["SCHOOL", "COUNTY", "CITY", "PROVINCE"];
export const BASIC_FIELDS = ["title", "year", "docNo", "issuer", "issuedOn", "pipeline", "forms"];

export type QuotaNumberKey = "perCounty" | "perCityFromEachCounty" | "perCityDirect" | "practiceBasePerCity";
export const QUOTA_FIELDS: { key: QuotaNumberKey; label: string; hint: string }[] = [
  { key: "perCounty", label: "每县推荐名额", hint: "县（市、区）推荐至设区市，每县相同" },
  { key: "perCityFromEachCounty", label: "每县报省名额", hint: "设区市报送省级时，来自每个县的上限" },
  { key: "perCityDirect", label: "市直报省名额", hint: "设区市报送省级时，直属设区市的申报上限" },
  { key: "practiceBasePerCity", label: "实践基地名额", hint: "每个设区市的实践教育基地申报，单独计算" },
];

export interface QuotaDraft {
  byCity: boolean;
  perCity: Record<string, number | null | undefined>;
  countySubQuotas: boolean;
  perCounty: number | null | undefined;
  perCityFromEachCounty: number | null | undefined;
  perCityDirect: number | null | undefined;
  practiceBasePerCity: number | null | undefined;
  /** Keys this page does not edit, passed back unchanged. */
  rest: Record<string, unknown>;
}

export interface CategoryDraft {
  key: string;
  isNew: boolean;
  code: string;
  name: string;
  applicantKind: ApplicantKind;
  criteria: unknown;
  rubric: unknown;
  quota: QuotaDraft;
}

export interface CampaignForm {
  year: number;
  title: string;
  docNo: string;
  issuer: string;
  issuedOn: string | null;
  levels: ReviewLevel[];
  caseMinChars: number;
  caseMaxChars: number;
  spaceUrlHosts: string[];
  stages: { stage: StageCode; name: string; deadline: string | null }[];
  categories: CategoryDraft[];
  expertsPerApplication: number;
  spreadThreshold: number;
  grading: SchemeDraft;
  finalizationRest: Record<string, unknown>;
}

export function emptyForm(): CampaignForm {
  return {
    year: 2023,
    title: "",
    docNo: "",
    issuer: "",
    issuedOn: null,
    levels: [],
    caseMinChars: 0,
    caseMaxChars: 0,
    spaceUrlHosts: [],
    stages: [],
    categories: [],
    expertsPerApplication: 3,
    spreadThreshold: 15,
    grading: { mode: "PROPORTIONS", rounding: "HALF_UP", bands: [] } as SchemeDraft,
    finalizationRest: {},
  };
}

let keySeq = 0;
/** A key for a category panel, unique for the page's lifetime. */
export const nextCategoryKey = () => `k${++keySeq}`;

export function quotaDraft(q: unknown): QuotaDraft {
  const { perCity, countySubQuotas, perCounty, perCityFromEachCounty, perCityDirect, practiceBasePerCity, ...rest } = (q ?? {}) as Record<string, unknown>;
  return {
    byCity: perCity !== undefined,
    perCity: { ...((perCity as Record<string, number>) ?? {}) },
    countySubQuotas: countySubQuotas === true,
    perCounty: perCounty as number | undefined,
    perCityFromEachCounty: perCityFromEachCounty as number | undefined,
    perCityDirect: perCityDirect as number | undefined,
    practiceBasePerCity: practiceBasePerCity as number | undefined,
    rest,
  };
}

export function quotaOut(q: QuotaDraft): Record<string, unknown> {
  const out: Record<string, unknown> = { ...q.rest };
  if (q.byCity) {
    out.perCity = Object.fromEntries(Object.entries(q.perCity).filter(([, v]) => v !== null && v !== undefined));
    if (q.countySubQuotas) out.countySubQuotas = true;
  }
  for (const f of QUOTA_FIELDS) if (q[f.key] !== null && q[f.key] !== undefined) out[f.key] = q[f.key];
  return out;
}

/** How many refused fields fall under any of the prefixes (`categories` covers `categories[0].name`). */
export function errorsIn(fields: Record<string, string>, prefixes: string[]): number {
  return Object.keys(fields).filter((f) => prefixes.some((p) => f === p || f.startsWith(`${p}.`) || f.startsWith(`${p}[`))).length;
}
