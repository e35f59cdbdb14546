import { Field, ID, InputType, Int, ObjectType } from "type-graphql";
import type { Role } from "@zjh/domain";
import { RoleEnum } from "../../common/enums.js";
import { OrgUnit } from "../org/org.types.js";
import {
  ApplicantKindEnum, ApplicationStateEnum, PipelineActionEnum, ReviewLevelEnum,
} from "../campaign/campaign.enums.js";
import type { ApplicantKind, ApplicationState, PipelineActionType, ReviewLevel } from "../campaign/domain.js";

@ObjectType({ description: "The case (案例) in its eight sections" })
export class CaseSections {
  @Field(() => String, { nullable: true, description: "标题" }) title: string | null;
  @Field(() => String, { nullable: true, description: "署名" }) byline: string | null;
  @Field(() => String, { nullable: true, description: "概述" }) summary: string | null;
  @Field(() => String, { nullable: true, description: "背景与问题" }) background: string | null;
  @Field(() => String, { nullable: true, description: "案例过程" }) process: string | null;
  @Field(() => String, { nullable: true, description: "工作成效" }) results: string | null;
  @Field(() => String, { nullable: true, description: "特色与创新" }) features: string | null;
  @Field(() => String, { nullable: true, description: "案例反思" }) reflection: string | null;
}

@ObjectType({ description: "An uploaded file as a form shows it" })
export class FileRef {
  @Field(() => ID, { description: "The file's public id: 32 random hex digits" }) id: string;
  @Field() originalName: string;
  @Field() contentType: string;
  @Field(() => Int) size: number;
  @Field({ description: "Download path (GET, same session)" }) url: string;

  /** A stored file row as a form shows it (null when the file is unknown). */
  static from(f: { public_id: string; original_name: string; content_type: string; size: number | string } | null | undefined): FileRef | null {
    if (!f) return null;
    // Files are named by their random public id only, never by the internal sequence.
    return Object.assign(new FileRef(), { id: f.public_id, originalName: f.original_name, contentType: f.content_type, size: Number(f.size), url: `/api/files/${f.public_id}` });
  }
}

@ObjectType({ description: "Annex 3 (网络教学空间信息登记表) as saved" })
export class ApplicationFormView {
  @Field(() => String, { nullable: true }) county: string | null;
  @Field(() => String, { nullable: true, description: "学段 code: PRESCHOOL, PRIMARY, JUNIOR, SENIOR, VOCATIONAL, SPECIAL, CROSS_STAGE" })
  stage: string | null;
  @Field(() => String, { nullable: true }) unitName: string | null;
  @Field(() => String, { nullable: true }) personInCharge: string | null;
  @Field(() => String, { nullable: true }) jobTitle: string | null;
  @Field(() => String, { nullable: true }) mobile: string | null;
  @Field(() => String, { nullable: true }) categoryCode: string | null;
  @Field(() => String, { nullable: true }) spaceUrl: string | null;
  @Field(() => CaseSections) case: CaseSections;
  @Field(() => Int, { description: "Case length as the notice counts it (whitespace not counted)" }) caseCharacters: number;
  @Field(() => [String]) newsLinks: string[];
  @Field(() => ID, { nullable: true }) photoZipFileId: string | null;
  @Field(() => ID, { nullable: true }) videoFileId: string | null;
  @Field(() => FileRef, { nullable: true }) photoZip?: FileRef | null;
  @Field(() => FileRef, { nullable: true }) video?: FileRef | null;
  @Field(() => ID, { nullable: true, description: "案例可附件上传: an uploaded case document (doc, docx or pdf) standing for the typed case" }) caseDocumentFileId: string | null;
  @Field(() => FileRef, { nullable: true }) caseDocument?: FileRef | null;
}

@InputType()
export class CaseSectionsInput {
  @Field(() => String, { nullable: true }) title?: string | null;
  @Field(() => String, { nullable: true }) byline?: string | null;
  @Field(() => String, { nullable: true }) summary?: string | null;
  @Field(() => String, { nullable: true }) background?: string | null;
  @Field(() => String, { nullable: true }) process?: string | null;
  @Field(() => String, { nullable: true }) results?: string | null;
  @Field(() => String, { nullable: true }) features?: string | null;
  @Field(() => String, { nullable: true }) reflection?: string | null;
}

@InputType({ description: "Annex 3 contents; a draft may be incomplete" })
export class ApplicationFormInput {
  @Field(() => String, { nullable: true }) county?: string | null;
  @Field(() => String, { nullable: true }) stage?: string | null;
  @Field(() => String, { nullable: true }) unitName?: string | null;
  @Field(() => String, { nullable: true }) personInCharge?: string | null;
  @Field(() => String, { nullable: true }) jobTitle?: string | null;
  @Field(() => String, { nullable: true }) mobile?: string | null;
  @Field(() => String, { nullable: true }) spaceUrl?: string | null;
  @Field(() => CaseSectionsInput, { nullable: true }) case?: CaseSectionsInput | null;
  @Field(() => [String], { nullable: true }) newsLinks?: string[] | null;
  @Field(() => ID, { nullable: true, description: "An uploaded PHOTO_ZIP file" }) photoZipFileId?: string | null;
  @Field(() => ID, { nullable: true, description: "An uploaded VIDEO file" }) videoFileId?: string | null;
  @Field(() => ID, { nullable: true, description: "An uploaded CASE_DOCUMENT file (doc, docx, pdf): with it only the case title is required" }) caseDocumentFileId?: string | null;
}

@ObjectType({ description: "One refused input: the field (dots and [i] for list items), the rule and a Chinese message naming both" })
export class FormViolation {
  @Field() field!: string;
  @Field() rule!: string;
  @Field() message!: string;
}

@ObjectType({ description: "A user as the pipeline shows them (name and account only)" })
export class PersonRef {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field() account: string;

  /** A person named by id, with their identity (empty name and account when it is missing). */
  static of(id: string, u: { name: string; account: string } | null | undefined): PersonRef {
    return Object.assign(new PersonRef(), { id: String(id), name: u?.name ?? "", account: u?.account ?? "" });
  }
}

@ObjectType({ description: "The applicant's acceptance of the 参赛须知 with one submitted revision (who, when, which wording)" })
export class ApplicationConsent {
  @Field(() => Int, { description: "The revision submitted with this acceptance" }) revision: number;
  @Field({ description: "Version id of the accepted wording" }) version: string;
  @Field({ description: "The accepted wording, as it was shown" }) text: string;
  @Field(() => Date) acceptedAt: Date;
  @Field(() => PersonRef) acceptedBy: PersonRef;
}

@ObjectType({ description: "One transition in the append-only history of an application" })
export class ReviewAction {
  @Field(() => ID) id: string;
  @Field(() => Int, { description: "The revision the action concerns" }) revision: number;
  @Field(() => PipelineActionEnum) action: PipelineActionType;
  @Field() actionLabel: string;
  @Field(() => ApplicationStateEnum) fromState: ApplicationState;
  @Field(() => ReviewLevelEnum, { nullable: true }) fromLevel: ReviewLevel | null;
  @Field(() => ApplicationStateEnum) toState: ApplicationState;
  @Field(() => ReviewLevelEnum, { nullable: true }) toLevel: ReviewLevel | null;
  @Field(() => ReviewLevelEnum, { nullable: true, description: "The level acted for; null for the applicant's own actions" })
  level: ReviewLevel | null;
  @Field(() => PersonRef) actor: PersonRef;
  @Field(() => RoleEnum) actorRole: Role;
  @Field() actorRoleLabel: string;
  @Field(() => OrgUnit) actorUnit: OrgUnit;
  @Field(() => String, { nullable: true }) comment: string | null;
  @Field(() => String, { nullable: true }) grade: string | null;
  @Field(() => Date) at: Date;
}

@ObjectType({ description: "The form as submitted in one revision, with the review actions on that revision" })
export class ApplicationRevision {
  @Field(() => Int) revision: number;
  @Field(() => ApplicationFormView) form: ApplicationFormView;
  @Field(() => PersonRef) submittedBy: PersonRef;
  @Field(() => Date) submittedAt: Date;
  @Field(() => [ReviewAction]) actions: ReviewAction[];
}

@ObjectType({ description: "One field that differs between two revisions" })
export class FieldChange {
  @Field({ description: "Dotted path, e.g. case.summary, newsLinks[1]" }) field: string;
  @Field({ description: "Chinese name of the field" }) label: string;
  @Field(() => String, { nullable: true }) before: string | null;
  @Field(() => String, { nullable: true }) after: string | null;
}

@ObjectType({ description: "A place a recommendation took in a quota counter" })
export class QuotaPlaceView {
  @Field() bucketKey: string;
  @Field(() => ReviewLevelEnum) level: ReviewLevel;
  @Field(() => Int) revision: number;
  @Field(() => Date) takenAt: Date;
  @Field(() => Date, { nullable: true }) releasedAt: Date | null;
}

@ObjectType({ description: "How the form's 「县（市、区）」 field is shown for this applicant" })
export class CountyFieldView {
  @Field({ description: "false for an applicant with no county (a practice base under the city)" }) required: boolean;
  @Field({ description: "县（市、区）, or 所属设区市 when the applicant has no county" }) label: string;
  @Field(() => String, { nullable: true, description: "The value prefilled in a new application" }) prefill: string | null;
}

@ObjectType()
export class Application {
  @Field(() => ID) id: string;
  @Field(() => ID) campaignId: string;
  @Field() categoryCode: string;
  @Field() categoryName: string;
  @Field(() => ApplicantKindEnum) applicantKind: ApplicantKind;
  @Field(() => PersonRef, { description: "Who created it (the teacher for teacher applications)" }) applicant: PersonRef;
  @Field(() => ID) applicantUnitId: string;
  @Field(() => OrgUnit) applicantUnit: OrgUnit;
  @Field(() => ID) cityId: string;
  @Field(() => ID, { nullable: true }) countyId: string | null;
  @Field(() => ID, { nullable: true }) schoolId: string | null;
  @Field(() => OrgUnit) city: OrgUnit;
  @Field(() => OrgUnit, { nullable: true }) county: OrgUnit | null;
  @Field(() => CountyFieldView, { description: "Whether 「县（市、区）」 is required and how it is labelled (a practice base shows its city)" })
  countyField?: CountyFieldView;
  @Field(() => [ReviewLevelEnum], { description: "The levels this application passes, in order" }) levels: ReviewLevel[];
  @Field(() => ApplicationStateEnum) state: ApplicationState;
  @Field() stateLabel: string;
  @Field(() => ReviewLevelEnum, { nullable: true, description: "The level it waits at" }) currentLevel: ReviewLevel | null;
  @Field(() => Int, { description: "Content revision: 1, +1 per resubmission" }) revision: number;
  @Field(() => Int, { description: "Changes on every save and transition; send it back to act (optimistic concurrency)" }) version: number;
  @Field(() => String, { nullable: true }) grade: string | null;
  @Field() title: string;
  @Field(() => Date) createdAt: Date;
  @Field(() => Date) updatedAt: Date;
  @Field(() => Date, { nullable: true }) firstSubmittedAt: Date | null;
  @Field(() => Date, { nullable: true }) lastActionAt: Date | null;
  @Field(() => ApplicationFormView, { description: "The applicant sees the working copy; reviewers the latest submitted revision" })
  form?: ApplicationFormView;
  @Field(() => [ReviewAction], { description: "Full history, oldest first" }) history?: ReviewAction[];
  @Field(() => [ApplicationRevision], { description: "Submitted revisions, oldest first" }) revisions?: ApplicationRevision[];
  @Field(() => [PipelineActionEnum], { description: "What the acting role may do now" }) allowedActions?: PipelineActionType[];
  @Field(() => [QuotaPlaceView], { description: "Quota places this application holds or held" }) quotaPlaces?: QuotaPlaceView[];
}

@ObjectType()
export class ApplicationPage {
  @Field(() => [Application]) items: Application[];
  @Field(() => Int) total: number;
}
