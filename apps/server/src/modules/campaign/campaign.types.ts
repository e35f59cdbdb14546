import { Field, ID, InputType, Int, ObjectType } from "type-graphql";
import { OrgUnit } from "../org/org.types.js";
import {
  ApplicantKindEnum, CampaignStatusEnum, JSONScalar, ReviewLevelEnum, StageCodeEnum, type CampaignStatus,
} from "./campaign.enums.js";
import type { ApplicantKind, ReviewLevel, StageCode } from "./domain.js";

@ObjectType({ description: "Whether the acting role may start an application in a category now, and why not" })
export class CategoryEligibility {
  @Field() code: string;
  @Field() name: string;
  @Field(() => ApplicantKindEnum) applicantKind: ApplicantKind;
  @Field() eligible: boolean;
  @Field(() => String, { nullable: true, description: "Why the category is not offered (Chinese), null when eligible" }) reason: string | null;
}

@ObjectType({ description: "A unit's own deadline for a stage (a city's schedule)" })
export class UnitDeadline {
  @Field(() => ID) unitId: string;
  @Field(() => OrgUnit, { nullable: true }) unit?: OrgUnit | null;
  @Field({ description: "Last day, YYYY-MM-DD, Beijing time" }) deadline: string;
}

@ObjectType({ description: "A stage of the campaign timeline" })
export class CampaignStage {
  @Field(() => StageCodeEnum) stage: StageCode;
  @Field() name: string;
  @Field(() => String, { nullable: true, description: "The campaign's own last day (YYYY-MM-DD, inclusive, Beijing time); null: none" })
  deadline: string | null;
  @Field(() => String, { nullable: true, description: "The last day that applies to the acting role's unit, with its city's schedule and extensions" })
  effectiveDeadline: string | null;
  @Field({ description: "Whether the stage is still open for the acting role's unit" }) open: boolean;
  @Field(() => [UnitDeadline]) unitDeadlines: UnitDeadline[];
}

@ObjectType({ description: "A province admin's extension of a stage deadline (audited)" })
export class DeadlineExtension {
  @Field(() => ID) id: string;
  @Field(() => StageCodeEnum) stage: StageCode;
  @Field(() => ID, { nullable: true, description: "The unit (and everything below) it applies to; null: everyone" })
  unitId: string | null;
  @Field(() => OrgUnit, { nullable: true }) unit?: OrgUnit | null;
  @Field() until: string;
  @Field() reason: string;
  @Field(() => Date) createdAt: Date;
}

@ObjectType({ description: "An award category with its reviewer checklist, quota rules and scoring rubric" })
export class AwardCategory {
  @Field() code: string;
  @Field() name: string;
  @Field(() => ApplicantKindEnum) applicantKind: ApplicantKind;
  @Field(() => JSONScalar, { description: "Criteria (the reviewers' checklist)" }) criteria: unknown;
  @Field(() => JSONScalar, { description: "Quota rules (perCity, perCounty, countySubQuotas, …)" }) quota: unknown;
  @Field(() => JSONScalar, { description: "The expert scoring rubric" }) rubric: unknown;
}

@ObjectType()
export class Campaign {
  @Field(() => ID) id: string;
  @Field(() => Int) year: number;
  @Field() title: string;
  @Field({ description: "Document number, e.g. 浙教技中心〔2023〕27号" }) docNo: string;
  @Field() issuer: string;
  @Field(() => String, { nullable: true }) issuedOn: string | null;
  @Field(() => CampaignStatusEnum) status: CampaignStatus;
  @Field(() => [ReviewLevelEnum], { description: "Review levels, in order" }) levels: ReviewLevel[];
  @Field(() => [CampaignStage]) stages: CampaignStage[];
  @Field(() => [AwardCategory]) categories: AwardCategory[];
  @Field(() => Int) caseMinChars: number;
  @Field(() => Int) caseMaxChars: number;
  @Field(() => [String]) spaceUrlHosts: string[];
  @Field(() => JSONScalar, { description: "Expert review and grading settings" }) finalization: unknown;
  @Field(() => [DeadlineExtension]) extensions: DeadlineExtension[];
  @Field(() => Date) createdAt: Date;
  @Field(() => Date) updatedAt: Date;
}

@ObjectType({ description: "Something the province admin should know before opening a campaign" })
export class CampaignWarning {
  @Field({ description: "DEADLINE_PASSED, ALL_STAGES_CLOSED, NO_REVIEWER, OTHER_CAMPAIGN_OPEN or YEAR_PASSED" }) code: string;
  @Field() message: string;
}

@InputType({ description: "A stage's last day (the stage itself keeps its name and position)" })
export class StageDateInput {
  @Field(() => StageCodeEnum) stage: StageCode;
  @Field(() => String, { nullable: true, description: "YYYY-MM-DD; null: no deadline" }) deadline?: string | null;
}

@InputType()
export class StageInput {
  @Field(() => StageCodeEnum) stage: StageCode;
  @Field() name: string;
  @Field(() => String, { nullable: true, description: "YYYY-MM-DD; null: no deadline" }) deadline?: string | null;
}

@InputType()
export class CategoryInput {
  @Field() code: string;
  @Field() name: string;
  @Field(() => ApplicantKindEnum) applicantKind: ApplicantKind;
  @Field(() => JSONScalar) criteria: unknown;
  @Field(() => JSONScalar) quota: unknown;
  @Field(() => JSONScalar) rubric: unknown;
}

@InputType({ description: "A campaign's whole configuration" })
export class CampaignInput {
  @Field(() => Int) year: number;
  @Field() title: string;
  @Field({ defaultValue: "" }) docNo: string;
  @Field({ defaultValue: "" }) issuer: string;
  @Field(() => String, { nullable: true }) issuedOn?: string | null;
  @Field(() => [ReviewLevelEnum]) levels: ReviewLevel[];
  @Field(() => [StageInput]) stages: StageInput[];
  @Field(() => [CategoryInput]) categories: CategoryInput[];
  @Field(() => Int) caseMinChars: number;
  @Field(() => Int) caseMaxChars: number;
  @Field(() => [String], { defaultValue: [] }) spaceUrlHosts: string[];
  @Field(() => JSONScalar) finalization: unknown;
}

@ObjectType({ description: "One quota counter: how many places a unit has used of a cap" })
export class QuotaBucketView {
  @Field({ description: "Stable key, e.g. TEACHING_SPACE/CITY/330300" }) key: string;
  @Field() categoryCode: string;
  @Field(() => ReviewLevelEnum, { description: "The level whose recommendations it counts" }) level: ReviewLevel;
  @Field({ description: "CITY, COUNTY, SUB_QUOTA, FROM_COUNTY, DIRECT or PRACTICE_BASE" }) scope: string;
  @Field() description: string;
  @Field(() => ID) unitId: string;
  @Field() unitName: string;
  @Field(() => String, { nullable: true }) unitCode: string | null;
  @Field(() => ID, { nullable: true, description: "The county a county or per-county bucket is about" }) countyId: string | null;
  @Field(() => String, { nullable: true }) countyName: string | null;
  @Field(() => Int, { description: "Cap from the campaign (or the city's allocation)" }) baseCap: number;
  @Field(() => Int, { description: "Cap in force, after province overrides" }) cap: number;
  @Field(() => Int) used: number;
  @Field(() => Int) remaining: number;
}

@InputType()
export class SubQuotaInput {
  @Field(() => ID) countyId: string;
  @Field(() => Int) places: number;
}
