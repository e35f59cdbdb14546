import type { CriterionStatus } from "@zjh/domain";
import { Field, ObjectType, registerEnumType } from "type-graphql";

export const CriterionStatusEnum = { MET: "MET", NOT_MET: "NOT_MET", NO_DATA: "NO_DATA" } as const satisfies Record<CriterionStatus, CriterionStatus>;

registerEnumType(CriterionStatusEnum, {
  name: "CriterionStatus",
  description: "MET / NOT_MET: decided from platform data; NO_DATA: the platform has no data for it, reviewers check it themselves",
});

export const CRITERION_STATUS_LABELS: Record<CriterionStatus, string> = { MET: "满足", NOT_MET: "未满足", NO_DATA: "暂无数据" };

@ObjectType({ description: "A part of a combined criterion (all of its parts, or one of them)" })
export class CriterionPart {
  @Field(() => CriterionStatusEnum) status: CriterionStatus;
  @Field() statusLabel: string;
  @Field({ description: "The measured and the required values (Chinese)" }) detail: string;
  @Field(() => [CriterionPart]) parts: CriterionPart[];
}

@ObjectType({ description: "One row of the reviewers' criteria checklist of an application" })
export class CriterionResult {
  @Field({ description: "Stable id from the campaign configuration, e.g. TS_LIBRARY; ACTIVITY_* for reference items" }) id: string;
  @Field({ description: "The criterion as the campaign notice words it" }) text: string;
  @Field(() => CriterionStatusEnum) status: CriterionStatus;
  @Field() statusLabel: string;
  @Field({ description: "The measured and the required values, or why there is no data (Chinese)" }) detail: string;
  @Field(() => [CriterionPart], { description: "Parts of a combined criterion, in the configured order" }) parts: CriterionPart[];
  @Field({ description: "A reference item from the activity targets, not an award criterion of the campaign" }) reference: boolean;
}
