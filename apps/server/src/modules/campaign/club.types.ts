import { Field, ID, InputType, Int, ObjectType } from "type-graphql";
import { FileRef } from "../application/application.types.js";
import { OrgUnit } from "../org/org.types.js";

@ObjectType()
export class ClubMember {
  @Field(() => String, { nullable: true }) name: string | null;
  @Field(() => String, { nullable: true }) unit: string | null;
  @Field(() => String, { nullable: true, description: "职务或职称" }) title: string | null;
  @Field(() => String, { nullable: true, description: "建设分工" }) task: string | null;
}

@ObjectType()
export class ClubLesson {
  @Field(() => Int, { nullable: true, description: "序号" }) no: number | null;
  @Field(() => String, { nullable: true }) title: string | null;
  @Field(() => String, { nullable: true }) lecturer: string | null;
  @Field(() => String, { nullable: true }) unit: string | null;
  @Field(() => String, { nullable: true }) mobile: string | null;
}

@ObjectType({ description: "活动方案" })
export class ClubPlan {
  @Field(() => String, { nullable: true }) time: string | null;
  @Field(() => String, { nullable: true }) audience: string | null;
  @Field(() => String, { nullable: true }) content: string | null;
  @Field(() => String, { nullable: true }) schedule: string | null;
  @Field(() => String, { nullable: true }) measures: string | null;
}

@ObjectType({ description: "Annex 2 (社团空间建设登记表) as saved" })
export class ClubRegistrationForm {
  @Field(() => String, { nullable: true }) region: string | null;
  @Field(() => String, { nullable: true, description: "学段 code" }) stage: string | null;
  @Field(() => String, { nullable: true }) unitName: string | null;
  @Field(() => String, { nullable: true }) leaderName: string | null;
  @Field(() => String, { nullable: true }) leaderPhone: string | null;
  @Field(() => String, { nullable: true }) adminName: string | null;
  @Field(() => String, { nullable: true }) adminPhone: string | null;
  @Field(() => [ClubMember]) members: ClubMember[];
  @Field(() => String, { nullable: true, description: "REGIONAL_LECTURER_TEAM, AGRICULTURE, SCIENCE or OTHER" }) direction: string | null;
  @Field(() => String, { nullable: true }) directionOther: string | null;
  @Field(() => ClubPlan) plan: ClubPlan;
  @Field(() => String, { nullable: true }) theme: string | null;
  @Field(() => String, { nullable: true }) schedule: string | null;
  @Field(() => [ClubLesson]) lessons: ClubLesson[];
  @Field(() => ID, { nullable: true }) stampedScanFileId: string | null;
  @Field(() => FileRef, { nullable: true }) stampedScan?: FileRef | null;
}

@ObjectType({ description: "A club-space registration of a school or region" })
export class ClubRegistration {
  @Field(() => ID) id: string;
  @Field(() => ID) campaignId: string;
  @Field(() => ID) unitId: string;
  @Field(() => OrgUnit, { nullable: true }) unit?: OrgUnit | null;
  @Field({ description: "DRAFT or SUBMITTED" }) state: string;
  @Field(() => Int) version: number;
  @Field(() => ClubRegistrationForm) form: ClubRegistrationForm;
  @Field(() => Date) createdAt: Date;
  @Field(() => Date) updatedAt: Date;
  @Field(() => Date, { nullable: true }) submittedAt: Date | null;
}

@ObjectType()
export class ClubRegistrationPage {
  @Field(() => [ClubRegistration]) items: ClubRegistration[];
  @Field(() => Int) total: number;
}

@InputType()
export class ClubMemberInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) unit?: string | null;
  @Field(() => String, { nullable: true }) title?: string | null;
  @Field(() => String, { nullable: true }) task?: string | null;
}

@InputType()
export class ClubLessonInput {
  @Field(() => Int, { nullable: true }) no?: number | null;
  @Field(() => String, { nullable: true }) title?: string | null;
  @Field(() => String, { nullable: true }) lecturer?: string | null;
  @Field(() => String, { nullable: true }) unit?: string | null;
  @Field(() => String, { nullable: true }) mobile?: string | null;
}

@InputType()
export class ClubPlanInput {
  @Field(() => String, { nullable: true }) time?: string | null;
  @Field(() => String, { nullable: true }) audience?: string | null;
  @Field(() => String, { nullable: true }) content?: string | null;
  @Field(() => String, { nullable: true }) schedule?: string | null;
  @Field(() => String, { nullable: true }) measures?: string | null;
}

@InputType({ description: "Annex 2 contents; a draft may be incomplete" })
export class ClubRegistrationInput {
  @Field(() => String, { nullable: true }) region?: string | null;
  @Field(() => String, { nullable: true }) stage?: string | null;
  @Field(() => String, { nullable: true }) unitName?: string | null;
  @Field(() => String, { nullable: true }) leaderName?: string | null;
  @Field(() => String, { nullable: true }) leaderPhone?: string | null;
  @Field(() => String, { nullable: true }) adminName?: string | null;
  @Field(() => String, { nullable: true }) adminPhone?: string | null;
  @Field(() => [ClubMemberInput], { nullable: true }) members?: ClubMemberInput[] | null;
  @Field(() => String, { nullable: true }) direction?: string | null;
  @Field(() => String, { nullable: true }) directionOther?: string | null;
  @Field(() => ClubPlanInput, { nullable: true }) plan?: ClubPlanInput | null;
  @Field(() => String, { nullable: true }) theme?: string | null;
  @Field(() => String, { nullable: true }) schedule?: string | null;
  @Field(() => [ClubLessonInput], { nullable: true }) lessons?: ClubLessonInput[] | null;
  @Field(() => ID, { nullable: true }) stampedScanFileId?: string | null;
}
