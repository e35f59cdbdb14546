import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { OrgUnit } from "../org/org.types.js";
import { ApplicantKindEnum, ApplicationStateEnum, JSONScalar } from "../campaign/campaign.enums.js";
import type { ApplicantKind, ApplicationState } from "../campaign/domain.js";

const enumOf = <T extends string>(values: readonly T[]) => Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };

export type AssignmentState = "DRAFT" | "RELEASED";
export type ScoreState = "DRAFT" | "SUBMITTED";
export type ResultState = "PREVIEW" | "FINAL";

export const AssignmentStateEnum = enumOf<AssignmentState>(["DRAFT", "RELEASED"]);
export const ScoreStateEnum = enumOf<ScoreState>(["DRAFT", "SUBMITTED"]);
export const ResultStateEnum = enumOf<ResultState>(["PREVIEW", "FINAL"]);
export const GradingModeEnum = enumOf(["PROPORTIONS", "THRESHOLDS"] as const);
export const PlaceRoundingEnum = enumOf(["HALF_UP", "FLOOR", "CEIL"] as const);
export const RubricItemSourceEnum = enumOf(["COMPUTED", "GATED_EXPERT", "EXPERT"] as const);
export const ComputedStatusEnum = enumOf(["COMPUTED", "EXPERT", "NO_DATA"] as const);
export const ScoreOriginEnum = enumOf(["COMPUTED", "EXPERT"] as const);

registerEnumType(AssignmentStateEnum, { name: "ExpertAssignmentState", description: "DRAFT: the province's working plan, invisible to experts; RELEASED: the expert's work" });
registerEnumType(ScoreStateEnum, { name: "ExpertScoreState", description: "DRAFT: being filled in; SUBMITTED: locked (changes need a reason)" });
registerEnumType(ResultStateEnum, { name: "FinalizationState", description: "PREVIEW: grades proposed; FINAL: applications finalized with these grades" });
registerEnumType(GradingModeEnum, { name: "GradingMode", description: "Grades by share of the ranked list, or by minimum score" });
registerEnumType(PlaceRoundingEnum, { name: "PlaceRounding", description: "How a fractional number of places is rounded" });
registerEnumType(RubricItemSourceEnum, { name: "RubricItemSource", description: "Who gives an item's points: the platform, the platform's gate then the expert, or the expert" });
registerEnumType(ComputedStatusEnum, { name: "ComputedItemStatus", description: "COMPUTED: platform value; EXPERT: the expert scores; NO_DATA: no platform data, the expert scores from the evidence" });
registerEnumType(ScoreOriginEnum, { name: "ScoreOrigin" });

@ObjectType({ description: "An application as the province's finalization screens show it (no personal contact data)" })
export class FinalizationApplication {
  @Field(() => ID) id: string;
  @Field(() => ID) campaignId: string;
  @Field() categoryCode: string;
  @Field() categoryName: string;
  @Field(() => ApplicantKindEnum) applicantKind: ApplicantKind;
  @Field() title: string;
  @Field(() => ApplicationStateEnum) state: ApplicationState;
  @Field(() => String, { nullable: true }) grade: string | null;
  @Field({ description: "The teacher, or the applying school or region" }) applicantName: string;
  @Field() unitName: string;
  @Field(() => String, { nullable: true }) unitCode: string | null;
  @Field() cityName: string;
  @Field(() => String, { nullable: true }) cityCode: string | null;
  @Field(() => String, { nullable: true }) countyName: string | null;
}

@ObjectType({ description: "A user holding the expert role" })
export class ExpertProfile {
  @Field(() => ID, { description: "The expert's user id" }) id: string;
  @Field() account: string;
  @Field() name: string;
  @Field() unitName: string;
  @Field(() => String, { nullable: true }) cityName: string | null;
  @Field() locked: boolean;
  @Field(() => Int, { description: "Applications assigned to the expert in the campaign (draft and released)" }) load: number;
}

@ObjectType({ description: "An expert assigned to score an application" })
export class ExpertAssignment {
  @Field(() => ID) id: string;
  @Field(() => ID) campaignId: string;
  @Field(() => FinalizationApplication) application: FinalizationApplication;
  @Field(() => ExpertProfile) expert: ExpertProfile;
  @Field(() => AssignmentStateEnum) state: "DRAFT" | "RELEASED";
  @Field({ description: "AUTO (planner) or MANUAL" }) origin: string;
  @Field(() => Date) createdAt: Date;
  @Field(() => Date, { nullable: true }) releasedAt: Date | null;
  @Field(() => ScoreStateEnum, { nullable: true, description: "The expert's score, if any" }) scoreState: ScoreState | null;
  @Field(() => Float, { nullable: true }) scoreTotal: number | null;
}

@ObjectType()
export class ExpertAssignmentPage {
  @Field(() => [ExpertAssignment]) items: ExpertAssignment[];
  @Field(() => Int) total: number;
}

@ObjectType({ description: "How many of an expert's tasks are in each scoring state (the whole list, all pages)" })
export class MyAssignmentCounts {
  @Field(() => Int) all: number;
  @Field(() => Int, { description: "Score submitted (locked)" }) submitted: number;
  @Field(() => Int, { description: "Draft saved, not submitted" }) draft: number;
  @Field(() => Int, { description: "Nothing saved yet" }) notStarted: number;
}

@ObjectType()
export class MyAssignmentPage {
  @Field(() => [ExpertAssignment]) items: ExpertAssignment[];
  @Field(() => Int, { description: "Tasks matching the filter" }) total: number;
  @Field(() => MyAssignmentCounts) counts: MyAssignmentCounts;
}

@ObjectType()
export class ExpertLoad {
  @Field(() => ExpertProfile) expert: ExpertProfile;
  @Field(() => Int) load: number;
}

@ObjectType()
export class UnfilledApplication {
  @Field(() => FinalizationApplication) application: FinalizationApplication;
  @Field(() => Int, { description: "Experts still missing for the wanted number" }) missing: number;
}

@ObjectType({ description: "What automatic assignment did: draft assignments made, kept and replaced" })
export class AssignmentPlanResult {
  @Field(() => Int) expertsPerApplication: number;
  @Field(() => Int, { description: "Applications considered" }) applications: number;
  @Field(() => Int, { description: "New draft assignments" }) created: number;
  @Field(() => Int, { description: "Assignments kept as they were (released, or made by hand)" }) kept: number;
  @Field(() => Int, { description: "Earlier automatic drafts replaced by this plan" }) removed: number;
  @Field(() => [UnfilledApplication]) unfilled: UnfilledApplication[];
  @Field(() => [ExpertLoad]) loads: ExpertLoad[];
}

@ObjectType()
export class RubricGroupView {
  @Field() id: string;
  @Field() name: string;
  @Field(() => Float) max: number;
}

@ObjectType({ description: "One line of an expert's scoring form" })
export class ScoreSheetLine {
  @Field() itemId: string;
  @Field() group: string;
  @Field() name: string;
  @Field(() => Float) max: number;
  @Field(() => Float) step: number;
  @Field(() => RubricItemSourceEnum) source: string;
  @Field() description: string;
  @Field({ description: "A computed value the expert may correct" }) expertConfirms: boolean;
  @Field(() => ComputedStatusEnum, { description: "What the platform found" }) computedStatus: string;
  @Field(() => Float, { nullable: true }) computedValue: number | null;
  @Field({ description: "How the platform value came about (Chinese)" }) computedDetail: string;
  @Field(() => Float, { nullable: true, description: "The value on the sheet (computed prefill or the expert's)" }) value: number | null;
  @Field(() => ScoreOriginEnum, { nullable: true }) origin: string | null;
  @Field({ description: "Whether the expert may enter a value for this item" }) editable: boolean;
}

@ObjectType({ description: "A submission or a later change of an expert's score" })
export class ExpertScoreChange {
  @Field(() => ID) id: string;
  @Field({ description: "SUBMIT or CHANGE" }) kind: string;
  @Field(() => JSONScalar, { nullable: true }) oldItems: unknown;
  @Field(() => Float, { nullable: true }) oldTotal: number | null;
  @Field(() => JSONScalar) newItems: unknown;
  @Field(() => Float) newTotal: number;
  @Field(() => String, { nullable: true }) reason: string | null;
  @Field() changedByName: string;
  @Field(() => Date) changedAt: Date;
}

@ObjectType({ description: "An expert's scoring form for one application, computed items prefilled" })
export class ScoreSheet {
  @Field(() => ID) assignmentId: string;
  @Field(() => FinalizationApplication) application: FinalizationApplication;
  @Field(() => JSONScalar, { nullable: true, description: "The application form as last submitted (no contact data)" }) form: unknown;
  @Field() rubricName: string;
  @Field(() => Float) rubricTotal: number;
  @Field(() => [RubricGroupView]) groups: RubricGroupView[];
  @Field(() => [ScoreSheetLine]) lines: ScoreSheetLine[];
  @Field(() => Float, { nullable: true, description: "Sum of the lines; null while any line has no value" }) total: number | null;
  @Field(() => [String], { description: "Items still without a value" }) missing: string[];
  @Field(() => ScoreStateEnum, { nullable: true, description: "null: nothing saved yet" }) state: ScoreState | null;
  @Field(() => Int, { description: "Pass back when saving (optimistic concurrency); 0 before the first save" }) version: number;
  @Field(() => Date, { nullable: true }) savedAt: Date | null;
  @Field(() => Date, { nullable: true }) submittedAt: Date | null;
  @Field(() => [ExpertScoreChange]) history: ExpertScoreChange[];
}

@ObjectType({ description: "One expert's score of an application, as the province sees it" })
export class ExpertScoreView {
  @Field(() => ID) assignmentId: string;
  @Field(() => ExpertProfile) expert: ExpertProfile;
  @Field(() => AssignmentStateEnum) assignmentState: AssignmentState;
  @Field(() => ScoreStateEnum, { nullable: true }) state: ScoreState | null;
  @Field(() => JSONScalar, { nullable: true }) items: unknown;
  @Field(() => Float, { nullable: true }) total: number | null;
  @Field(() => Date, { nullable: true }) submittedAt: Date | null;
  @Field(() => [ExpertScoreChange]) history: ExpertScoreChange[];
}

@InputType({ description: "A value entered for one rubric item; null clears it" })
export class ScoreItemInput {
  @Field() itemId: string;
  @Field(() => Float, { nullable: true }) value?: number | null;
}

@ObjectType({ description: "Scoring state of one application" })
export class ScoringProgressRow {
  @Field(() => FinalizationApplication) application: FinalizationApplication;
  @Field(() => Int) assigned: number;
  @Field(() => Int) released: number;
  @Field(() => Int) submitted: number;
  @Field(() => [Float], { description: "Submitted totals, lowest first" }) scores: number[];
  @Field(() => Float, { nullable: true, description: "Mean (with ≥3 scores, highest and lowest dropped)" }) score: number | null;
  @Field(() => Float) spread: number;
  @Field({ description: "Spread above the campaign's threshold: needs a further review" }) flagged: boolean;
  @Field({ description: "A flagged application's further review holds for its current scores" }) spreadReviewed: boolean;
}

@ObjectType()
export class ScoringProgressPage {
  @Field(() => [ScoringProgressRow]) items: ScoringProgressRow[];
  @Field(() => Int) total: number;
  @Field(() => Float) spreadThreshold: number;
}

@ObjectType()
export class GradeBand {
  @Field() grade: string;
  @Field(() => Float, { nullable: true }) proportion: number | null;
  @Field(() => Float, { nullable: true }) minScore: number | null;
}

@ObjectType()
export class GradingSchemeView {
  @Field(() => GradingModeEnum) mode: "PROPORTIONS" | "THRESHOLDS";
  @Field(() => [GradeBand]) bands: GradeBand[];
  @Field(() => PlaceRoundingEnum, { nullable: true }) rounding: "HALF_UP" | "FLOOR" | "CEIL" | null;
}

@InputType()
export class GradeBandInput {
  @Field() grade: string;
  @Field(() => Float, { nullable: true, description: "PROPORTIONS: share of the ranked list, 0 < p ≤ 1" }) proportion?: number | null;
  @Field(() => Float, { nullable: true, description: "THRESHOLDS: minimum score (≥)" }) minScore?: number | null;
}

@InputType()
export class GradingSchemeInput {
  @Field(() => GradingModeEnum) mode: "PROPORTIONS" | "THRESHOLDS";
  @Field(() => [GradeBandInput]) bands: GradeBandInput[];
  @Field(() => PlaceRoundingEnum, { nullable: true }) rounding?: "HALF_UP" | "FLOOR" | "CEIL" | null;
}

@ObjectType({ description: "An application's place in its category's ranking" })
export class RankingEntry {
  @Field(() => FinalizationApplication) application: FinalizationApplication;
  @Field(() => Int, { nullable: true, description: "Competition rank; null while unscored" }) rank: number | null;
  @Field(() => Float, { nullable: true }) score: number | null;
  @Field(() => Int) expertCount: number;
  @Field(() => Float) spread: number;
  @Field() flagged: boolean;
  @Field(() => String, { nullable: true, description: "Grade by the campaign's current scheme (preview), or the final grade" }) grade: string | null;
}

@ObjectType({ description: "A category's grading: proposed (PREVIEW) or done (FINAL)" })
export class CategoryFinalizationStatus {
  @Field(() => ResultStateEnum) state: ResultState;
  @Field(() => Date) previewedAt: Date;
  @Field(() => Date, { nullable: true }) finalizedAt: Date | null;
}

@ObjectType()
export class RankingPage {
  @Field(() => [RankingEntry]) items: RankingEntry[];
  @Field(() => Int) total: number;
  @Field(() => Int, { description: "Applications in expert review without any submitted score" }) unscored: number;
  @Field(() => GradingSchemeView) scheme: GradingSchemeView;
  @Field(() => CategoryFinalizationStatus, { nullable: true }) finalization: CategoryFinalizationStatus | null;
}

@ObjectType()
export class GradeCount {
  @Field(() => String, { nullable: true, description: "null: not selected" }) grade: string | null;
  @Field(() => Int) count: number;
}

@ObjectType({ description: "A category's grades as stored (preview or final)" })
export class CategoryFinalization {
  @Field(() => ID) campaignId: string;
  @Field() categoryCode: string;
  @Field() categoryName: string;
  @Field(() => ResultStateEnum) state: ResultState;
  @Field(() => GradingSchemeView) scheme: GradingSchemeView;
  @Field(() => [GradeCount]) counts: GradeCount[];
  @Field(() => [RankingEntry]) entries: RankingEntry[];
  @Field(() => Int) total: number;
  @Field(() => Date) previewedAt: Date;
  @Field(() => Date, { nullable: true }) finalizedAt: Date | null;
}

@ObjectType()
export class Publication {
  @Field(() => ID) campaignId: string;
  @Field(() => Date) publishedAt: Date;
  @Field() publishedByName: string;
}

@ObjectType({ description: "优秀组织单位" })
export class ExcellentUnit {
  @Field(() => ID) id: string;
  @Field(() => ID) campaignId: string;
  @Field(() => OrgUnit) unit: OrgUnit;
  @Field() reason: string;
  @Field(() => Date) createdAt: Date;
  @Field(() => Date) updatedAt: Date;
}

@ObjectType({ description: "优秀指导教师" })
export class ExcellentInstructor {
  @Field(() => ID) id: string;
  @Field(() => ID) campaignId: string;
  @Field(() => ID, { nullable: true, description: "The platform user, when the instructor has an account" }) userId: string | null;
  @Field() name: string;
  @Field(() => OrgUnit) unit: OrgUnit;
  @Field() reason: string;
  @Field(() => Date) createdAt: Date;
  @Field(() => Date) updatedAt: Date;
}

@InputType()
export class ExcellentInstructorInput {
  @Field(() => ID, { nullable: true, description: "A platform user; name and unit then default to theirs" }) userId?: string | null;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => ID, { nullable: true }) unitId?: string | null;
  @Field(() => String, { nullable: true }) reason?: string | null;
}

@ObjectType({ description: "One line of a published list" })
export class PublishedEntry {
  @Field(() => ID) applicationId: string;
  @Field() grade: string;
  @Field() categoryCode: string;
  @Field() categoryName: string;
  @Field() title: string;
  @Field() applicantName: string;
  @Field() unitName: string;
  @Field(() => String, { nullable: true }) unitCode: string | null;
  @Field() cityName: string;
  @Field(() => String, { nullable: true }) countyName: string | null;
}

@ObjectType()
export class PublishedUnit {
  @Field() unitName: string;
  @Field(() => String, { nullable: true }) unitCode: string | null;
  @Field(() => String, { nullable: true }) cityName: string | null;
  @Field() reason: string;
}

@ObjectType()
export class PublishedInstructor {
  @Field() name: string;
  @Field() unitName: string;
  @Field(() => String, { nullable: true }) unitCode: string | null;
  @Field(() => String, { nullable: true }) cityName: string | null;
  @Field() reason: string;
}

@ObjectType({ description: "A campaign's published results: visible to everyone, no login needed" })
export class PublishedResults {
  @Field(() => ID) campaignId: string;
  @Field(() => Int) year: number;
  @Field() title: string;
  @Field() docNo: string;
  @Field() issuer: string;
  @Field(() => Date) publishedAt: Date;
  @Field(() => [PublishedEntry]) entries: PublishedEntry[];
  @Field(() => [PublishedUnit]) excellentUnits: PublishedUnit[];
  @Field(() => [PublishedInstructor]) excellentInstructors: PublishedInstructor[];
}

@ObjectType({ description: "An open campaign whose results are not published yet, and when they are due" })
export class UpcomingResults {
  @Field(() => ID) campaignId: string;
  @Field(() => Int) year: number;
  @Field() title: string;
  @Field({ description: "The campaign's publication stage, e.g. 入选名单公布" }) stageName: string;
  @Field(() => String, { nullable: true, description: "The publication stage's deadline (YYYY-MM-DD), when the campaign sets one" }) expectedBy: string | null;
}

@ObjectType({ description: "A campaign whose results are published" })
export class PublishedCampaign {
  @Field(() => ID) campaignId: string;
  @Field(() => Int) year: number;
  @Field() title: string;
  @Field() docNo: string;
  @Field(() => Date) publishedAt: Date;
}
