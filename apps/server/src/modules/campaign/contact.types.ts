import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { FileRef, PersonRef } from "../application/application.types.js";
import { OrgUnit } from "../org/org.types.js";

export enum ContactStateEnum {
  SUBMITTED = "SUBMITTED",
  APPROVED = "APPROVED",
  REJECTED = "REJECTED",
}
export enum ContactKindEnum {
  REGION = "REGION",
  PRACTICE_BASE_DEPARTMENT = "PRACTICE_BASE_DEPARTMENT",
}
registerEnumType(ContactKindEnum, {
  name: "ContactKind",
  description: "REGION: a city's or county's contact, who becomes its reviewer; PRACTICE_BASE_DEPARTMENT: the department a city appointed for its 实践教育基地 (no reviewer role)",
});

registerEnumType(ContactStateEnum, { name: "ContactState", description: "SUBMITTED: waiting for the province; APPROVED: reviewer role granted; REJECTED: sent back" });

@ObjectType({ description: "A regional contact (Annex 1 区域活动联系人信息表)" })
export class RegionalContact {
  @Field(() => ID) id: string;
  @Field(() => ID) campaignId: string;
  @Field(() => ContactKindEnum) kind: ContactKindEnum;
  @Field({ description: "区域活动联系人 / 实践教育基地管理部门" }) kindLabel: string;
  @Field(() => ID, { description: "The city or county the contact represents (a practice-base department: the city whose bases it manages)" }) unitId: string;
  @Field(() => OrgUnit, { nullable: true }) unit?: OrgUnit | null;
  @Field(() => String, { nullable: true, description: "联系人 (for a practice-base department: its contact person)" }) contactName: string | null;
  @Field(() => String, { nullable: true, description: "设区市 division code" }) cityCode: string | null;
  @Field(() => String, { nullable: true, description: "所属单位 (for a practice-base department: the department's name)" }) unitName: string | null;
  @Field(() => String, { nullable: true }) jobTitle: string | null;
  @Field(() => String, { nullable: true }) officePhone: string | null;
  @Field(() => String, { nullable: true }) mobile: string | null;
  @Field(() => String, { nullable: true, description: "之江汇账号 (teacher-training account) that gets the reviewer role" }) platformAccount: string | null;
  @Field(() => String, { nullable: true }) postalAddress: string | null;
  @Field(() => String, { nullable: true }) note: string | null;
  @Field(() => FileRef, { nullable: true }) stampedScan?: FileRef | null;
  @Field(() => ContactStateEnum) state: ContactStateEnum;
  @Field(() => Int) version: number;
  @Field(() => PersonRef) submittedBy: PersonRef;
  @Field(() => Date) submittedAt: Date;
  @Field(() => Date, { nullable: true }) reviewedAt: Date | null;
  @Field(() => String, { nullable: true, description: "Why the province sent it back" }) reviewComment: string | null;
}

@ObjectType()
export class RegionalContactPage {
  @Field(() => [RegionalContact]) items: RegionalContact[];
  @Field(() => Int) total: number;
}

@InputType()
export class RegionalContactInput {
  @Field(() => ContactKindEnum, { nullable: true, description: "Default REGION; PRACTICE_BASE_DEPARTMENT needs a city and a note (备注)" }) kind?: ContactKindEnum | null;
  @Field(() => ID, { description: "The city or county unit the contact represents" }) unitId: string;
  @Field(() => String, { nullable: true }) contactName?: string | null;
  @Field(() => String, { nullable: true }) unitName?: string | null;
  @Field(() => String, { nullable: true }) jobTitle?: string | null;
  @Field(() => String, { nullable: true, description: "e.g. 0571-88905096" }) officePhone?: string | null;
  @Field(() => String, { nullable: true }) mobile?: string | null;
  @Field(() => String, { nullable: true }) platformAccount?: string | null;
  @Field(() => String, { nullable: true }) postalAddress?: string | null;
  @Field(() => String, { nullable: true, description: "Practice-base management departments say so here" }) note?: string | null;
  @Field(() => ID, { nullable: true, description: "An uploaded STAMPED_SCAN file" }) stampedScanFileId?: string | null;
}
