import { GqlResponseError, type Client } from "../support/client.js";
import { applyAndSubmit, fullForm, review, sampleCase } from "./pipeline-helpers.js";

export const SHEET_FIELDS = `assignmentId version state total missing submittedAt rubricName
  application { id title state applicantName unitName cityName }
  lines { itemId name max step source editable computedStatus computedValue computedDetail value origin }
  history { kind oldTotal newTotal reason changedByName }`;

export interface SheetLine {
  itemId: string;
  max: number;
  step: number;
  editable: boolean;
  computedStatus: string;
  computedValue: number | null;
  value: number | null;
}

export async function sheet(expert: Client, applicationId: string): Promise<any> {
  return (await expert.gql(`query($a: ID!) { scoreSheet(applicationId: $a) { ${SHEET_FIELDS} } }`, { a: applicationId })).scoreSheet;
}

/**
 * Values for the editable lines of a sheet so that the whole sheet adds up to `total`: the fixed
 * (computed) lines count as they are, the rest is filled line by line up to each line's maximum.
 */
export function valuesFor(lines: SheetLine[], total: number): { itemId: string; value: number }[] {
  const fixed = lines.filter((l) => !l.editable).reduce((s, l) => s + (l.computedValue ?? 0), 0);
  let left = Math.round((total - fixed) * 2) / 2;
  const out: { itemId: string; value: number }[] = [];
  for (const l of lines.filter((x) => x.editable)) {
    const v = Math.min(l.max, Math.max(0, left));
    out.push({ itemId: l.itemId, value: v });
    left -= v;
  }
  if (left !== 0) throw new Error(`cannot reach ${total} on this sheet (fixed ${fixed})`);
  return out;
}

/** The expert fills in and submits the sheet of an application with the given total. */
export async function scoreAndSubmit(expert: Client, applicationId: string, total: number): Promise<any> {
  const s = await sheet(expert, applicationId);
  const d = await expert.gql(
    `mutation($a: ID!, $s: [ScoreItemInput!], $v: Int!) { submitScore(applicationId: $a, scores: $s, version: $v) { ${SHEET_FIELDS} } }`,
    { a: applicationId, s: valuesFor(s.lines, total), v: s.version },
  );
  return d.submitScore;
}

export async function changeScore(expert: Client, applicationId: string, total: number, reason: string): Promise<any> {
  const s = await sheet(expert, applicationId);
  const d = await expert.gql(
    `mutation($a: ID!, $s: [ScoreItemInput!]!, $r: String!, $v: Int!) { changeSubmittedScore(applicationId: $a, scores: $s, reason: $r, version: $v) { ${SHEET_FIELDS} } }`,
    { a: applicationId, s: valuesFor(s.lines, total), r: reason, v: s.version },
  );
  return d.changeSubmittedScore;
}

/** The error an operation is refused with: code, message, field and the rest of its extensions. */
export async function refusal(p: Promise<unknown>): Promise<{ code?: string; message: string; field?: string; ext: Record<string, unknown> }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof GqlResponseError) {
      const x = e.errors[0]!;
      return { code: x.extensions?.code, message: x.message, field: x.extensions?.field, ext: x.extensions ?? {} };
    }
    throw e;
  }
  throw new Error("expected the operation to be refused");
}

export interface Reviewers {
  county?: Client;
  city: Client;
}

/**
 * A teacher applies for a teaching space with a case of the given title; their county (if any)
 * and city recommend it, so it waits at the province. Returns the application id.
 */
export async function toProvince(teacher: Client, phone: string, campaignId: string, title: string, reviewers: Reviewers): Promise<string> {
  let app = await applyAndSubmit(teacher, campaignId, "TEACHING_SPACE", fullForm(phone, { case: sampleCase(title) }));
  if (reviewers.county) app = await review(reviewers.county, "recommendApplication", app);
  app = await review(reviewers.city, "recommendApplication", app);
  if (app.state !== "AT_PROVINCE") throw new Error(`expected AT_PROVINCE, got ${app.state}`);
  return app.id as string;
}
