import { GraphQLScalarType, Kind, type ValueNode } from "graphql";
import { registerEnumType } from "type-graphql";
import type { ApplicantKind, ApplicationState, PipelineActionType, ReviewLevel, StageCode } from "./domain.js";

/** Stage codes of a campaign timeline, in timeline order. */
export const STAGE_CODES = [
  "CONTACTS", "CLUB_REGISTRATION", "APPLICATION", "SCHOOL_REVIEW", "COUNTY_REVIEW", "CITY_REVIEW", "PROVINCE_REVIEW", "PUBLICATION",
] as const satisfies readonly StageCode[];

const enumOf = <T extends string>(values: readonly T[]) => Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };

export const StageCodeEnum = enumOf<StageCode>(STAGE_CODES);
export const ReviewLevelEnum = enumOf<ReviewLevel>(["SCHOOL", "COUNTY", "CITY", "PROVINCE"]);
export const ApplicantKindEnum = enumOf<ApplicantKind>(["TEACHER", "SCHOOL", "REGION"]);
export const CampaignStatusEnum = enumOf(["DRAFT", "OPEN", "CLOSED"] as const);
export type CampaignStatus = keyof typeof CampaignStatusEnum;
export const ApplicationStateEnum = enumOf<ApplicationState>([
  "DRAFT", "SUBMITTED", "PENDING", "AT_PROVINCE", "EXPERT_REVIEW", "RETURNED", "REJECTED", "FINALIZED", "NOT_SELECTED", "DISQUALIFIED", "WITHDRAWN",
]);
export const PipelineActionEnum = enumOf<PipelineActionType>([
  "submit", "recommend", "return", "reject", "withdrawRecommendation", "resubmit", "withdraw", "startExpertReview", "disqualify", "finalize", "notSelect", "close",
]);

registerEnumType(StageCodeEnum, { name: "StageCode", description: "A stage of a campaign timeline" });
registerEnumType(ReviewLevelEnum, { name: "ReviewLevel", description: "A level of the review pipeline" });
registerEnumType(ApplicantKindEnum, { name: "ApplicantKind", description: "Who applies in a category: a teacher, a school or a region" });
registerEnumType(CampaignStatusEnum, { name: "CampaignStatus", description: "DRAFT: being configured (province only); OPEN: running; CLOSED: archived" });
registerEnumType(ApplicationStateEnum, { name: "ApplicationState" });
registerEnumType(PipelineActionEnum, { name: "PipelineAction" });

function literal(ast: ValueNode): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, literal(f.value)]));
    case Kind.LIST:
      return ast.values.map(literal);
    default:
      return null;
  }
}

/**
 * Structured configuration (criteria, rubrics, quota rules, grading) passed as JSON. Defined here
 * rather than taken from graphql-scalars so it comes from the same graphql instance as the schema.
 */
export const JSONScalar = new GraphQLScalarType({
  name: "JSON",
  description: "A JSON value (campaign configuration: criteria, rubrics, quota rules, grading; form contents)",
  serialize: (v) => v,
  parseValue: (v) => v,
  parseLiteral: literal,
});
