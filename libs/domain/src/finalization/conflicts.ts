import { DomainError } from "../errors.js";

export interface ExpertRef {
  id: string;
  userId: string;
  /** The expert's city (division code); null for experts from province-level units. */
  cityCode: string | null;
  /** The expert's school unit key, when they work at a school. */
  schoolKey: string | null;
}

export interface ApplicationRef {
  id: string;
  /** Users who are the applicant (owner, person in charge, team members). */
  applicantUserIds: readonly string[];
  cityCode: string;
  schoolKey: string | null;
}

/** Why an expert may not score an application, most specific first. */
export type ConflictReason = "SELF" | "SAME_SCHOOL" | "SAME_CITY";

export const CONFLICT_MESSAGES: Record<ConflictReason, string> = {
  SELF: "评审专家不能评审本人参与的申报",
  SAME_SCHOOL: "评审专家不能评审本校的申报",
  SAME_CITY: "评审专家不能评审本设区市的申报",
};

export function assignmentConflict(expert: ExpertRef, application: ApplicationRef): ConflictReason | null {
  if (application.applicantUserIds.includes(expert.userId)) return "SELF";
  if (expert.schoolKey !== null && expert.schoolKey === application.schoolKey) return "SAME_SCHOOL";
  if (expert.cityCode !== null && expert.cityCode === application.cityCode) return "SAME_CITY";
  return null;
}

/** @throws DomainError EXPERT_CONFLICT when the expert may not score the application. */
export function assertNoConflict(expert: ExpertRef, application: ApplicationRef): void {
  const reason = assignmentConflict(expert, application);
  if (reason) {
    throw new DomainError("EXPERT_CONFLICT", CONFLICT_MESSAGES[reason], "expertId", {
      reason,
      expertId: expert.id,
      applicationId: application.id,
    });
  }
}
