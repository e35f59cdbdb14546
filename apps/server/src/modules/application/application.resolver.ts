import { ROLE_LABELS } from "@zjh/domain";
import { Arg, Args, ArgsType, Ctx as GqlCtx, Field, FieldResolver, ID, Int, Mutation, Query, registerEnumType, Resolver, Root } from "type-graphql";
import type { Ctx } from "../../common/context.js";
import { PageArgs } from "../../common/paging.js";
import { unitById } from "../org/org.service.js";
import { userIdentity } from "../users/users.service.js";
import { OrgUnit } from "../org/org.types.js";
import { ApplicationStateEnum, PipelineActionEnum, ReviewLevelEnum } from "../campaign/campaign.enums.js";
import {
  APPLICATION_STATE_LABELS, CASE_SECTION_LABELS, CASE_SECTIONS, countCaseCharacters, diffRevisions, PIPELINE_ACTION_LABELS,
  type ApplicationState, type CaseSection, type PipelineAction, type PipelineActionType, type ReviewLevel,
} from "../campaign/domain.js";
import { fileRefs } from "../files/files.service.js";
import * as apps from "./application.service.js";
import {
  Application, ApplicationConsent, ApplicationFormInput, ApplicationFormView, ApplicationPage, ApplicationRevision, CaseSections, FieldChange, FileRef, FormViolation, PersonRef,
  QuotaPlaceView, ReviewAction, CountyFieldView,
} from "./application.types.js";
import * as pipeline from "./pipeline.service.js";
import { applicationCriteria } from "./criteria.service.js";
import { CriterionResult } from "./criteria.types.js";

export function toApplication(r: apps.ApplicationRow): Application {
  return Object.assign(new Application(), {
    id: String(r.id),
    campaignId: String(r.campaign_id),
    categoryCode: r.category_code,
    applicantKind: r.applicant_kind,
    applicantUnitId: String(r.applicant_unit_id),
    cityId: String(r.city_id),
    countyId: r.county_id ? String(r.county_id) : null,
    schoolId: r.school_id ? String(r.school_id) : null,
    levels: r.levels,
    state: r.state,
    stateLabel: APPLICATION_STATE_LABELS[r.state],
    currentLevel: r.current_level,
    revision: r.revision,
    version: r.version,
    grade: r.grade,
    title: r.title,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    firstSubmittedAt: r.first_submitted_at,
    lastActionAt: r.last_action_at,
    row: r,
  });
}

const rowOf = (a: Application) => (a as Application & { row: apps.ApplicationRow }).row;


async function formView(ctx: Ctx, f: apps.ApplicationFormData): Promise<ApplicationFormView> {
  const ids = [f.photoZipFileId, f.videoFileId, f.caseDocumentFileId].filter((x): x is string => !!x);
  const files = ids.length ? await fileRefs(ctx.db, ids) : new Map();
  const cases = Object.assign(new CaseSections(), Object.fromEntries(CASE_SECTIONS.map((s) => [s, f.case?.[s] ?? null])));
  return Object.assign(new ApplicationFormView(), {
    county: f.county ?? null,
    stage: f.stage ?? null,
    unitName: f.unitName ?? null,
    personInCharge: f.personInCharge ?? null,
    jobTitle: f.jobTitle ?? null,
    mobile: f.mobile ?? null,
    categoryCode: f.categoryCode ?? null,
    spaceUrl: f.spaceUrl ?? null,
    case: cases,
    caseCharacters: countCaseCharacters(f.case ?? {}),
    newsLinks: f.newsLinks ?? [],
    photoZipFileId: f.photoZipFileId ?? null,
    videoFileId: f.videoFileId ?? null,
    photoZip: f.photoZipFileId ? FileRef.from(files.get(String(f.photoZipFileId))) : null,
    video: f.videoFileId ? FileRef.from(files.get(String(f.videoFileId))) : null,
    caseDocumentFileId: f.caseDocumentFileId ?? null,
    caseDocument: f.caseDocumentFileId ? FileRef.from(files.get(String(f.caseDocumentFileId))) : null,
  });
}

function actionView(h: apps.HistoryRow): ReviewAction {
  return Object.assign(new ReviewAction(), {
    id: String(h.id),
    revision: h.revision,
    action: h.action as PipelineActionType,
    actionLabel: PIPELINE_ACTION_LABELS[h.action as PipelineActionType] ?? h.action,
    fromState: h.from_state,
    fromLevel: h.from_level,
    toState: h.to_state,
    toLevel: h.to_level,
    level: h.level,
    actor: Object.assign(new PersonRef(), { id: String(h.actor_user_id), name: h.actor_name, account: h.actor_account }),
    actorRole: h.actor_role,
    actorRoleLabel: ROLE_LABELS[h.actor_role],
    actorUnitId: String(h.actor_unit_id),
    comment: h.comment,
    grade: h.grade,
    at: h.at,
  });
}

const FIELD_LABELS: Record<string, string> = {
  county: "县（市、区）", stage: "学段", unitName: "单位", personInCharge: "负责人", jobTitle: "职务", mobile: "手机",
  categoryCode: "建设类型", spaceUrl: "空间网址", photoZipFileId: "图文介绍压缩包", videoFileId: "案例视频", caseDocumentFileId: "案例文档",
};

function labelOf(field: string): string {
  const m = /^case\.(\w+)$/.exec(field);
  if (m) return `案例·${CASE_SECTION_LABELS[m[1] as CaseSection] ?? m[1]}`;
  const n = /^newsLinks\[(\d+)\]$/.exec(field);
  if (n) return `第${Number(n[1]) + 1}个新闻报道链接`;
  return FIELD_LABELS[field] ?? field;
}

const show = (v: unknown) => (v === null || v === undefined ? null : String(v));

export enum ApplicationSortField {
  submittedAt = "submittedAt",
  lastActionAt = "lastActionAt",
  updatedAt = "updatedAt",
  title = "title",
  applicantName = "applicantName",
  unit = "unit",
  category = "category",
  state = "state",
  currentLevel = "currentLevel",
  revision = "revision",
}
registerEnumType(ApplicationSortField, {
  name: "ApplicationSortField",
  description: "Sort keys of application lists; every order ends with the application id in the same direction (stable paging)",
  valuesConfig: {
    submittedAt: { description: "First submission (never submitted: last in both directions)" },
    lastActionAt: { description: "Last pipeline action, a draft's last save when none: the waiting time in a queue" },
    updatedAt: { description: "Last change" },
    title: { description: "Case title by code point (no title: last in both directions)" },
    applicantName: { description: "Applicant's name by code point" },
    unit: { description: "Applicant unit by administrative code (city, county, then unit), then name" },
    category: { description: "Category in the campaign's order" },
    state: { description: "State in pipeline order (ApplicationState's order)" },
    currentLevel: { description: "Level waited at, school up to province (none: last in both directions)" },
    revision: { description: "Revision number" },
  },
});

@ArgsType()
class ApplicationFilterArgs extends PageArgs {
  @Field(() => ID) campaignId: string;
  @Field(() => String, { nullable: true }) categoryCode?: string | null;
  @Field(() => [ApplicationStateEnum], { nullable: true }) states?: ApplicationState[] | null;
  @Field(() => ReviewLevelEnum, { nullable: true, description: "Waiting at this level" }) currentLevel?: ReviewLevel | null;
  @Field(() => ID, { nullable: true, description: "Applicants at or below this unit (inside the caller's scope)" }) unitId?: string | null;
  @Field(() => String, { nullable: true, description: "Case title or applicant name contains" }) search?: string | null;
  @Field(() => Boolean, { nullable: true, description: "Only the acting role's own applications" }) mine?: boolean | null;
  @Field(() => ApplicationSortField, { defaultValue: ApplicationSortField.updatedAt }) sort: ApplicationSortField;
  @Field({ defaultValue: true, description: "Descending (default: newest change first)" }) desc: boolean;
}

@ArgsType()
class ActArgs {
  @Field(() => ID) id: string;
  @Field(() => Int, { description: "The version the caller loaded; a newer one means someone else acted (CONFLICT)" }) version: number;
  @Field(() => Int, { nullable: true, description: "The revision the reviewer looked at; another one is STALE_REVISION" }) revision?: number | null;
}

@ArgsType()
class SubmitArgs extends ActArgs {
  @Field(() => String, {
    nullable: true,
    description: "The version of the 参赛须知 the applicant accepted (the current one, e.g. \"2023-04\"); missing: CONSENT_REQUIRED, another: CONSENT_OUTDATED",
  })
  consentVersion?: string | null;
}

async function act(ctx: Ctx, a: ActArgs, action: PipelineAction, consentVersion?: string | null) {
  return toApplication(await pipeline.act(ctx, a.id, action, { version: a.version, revision: a.revision ?? null }, { consentVersion }));
}

@Resolver(() => Application)
export class ApplicationResolver {
  @Query(() => Application, { description: "One application the acting role may see" })
  async application(@Arg("id", () => ID) id: string, @GqlCtx() ctx: Ctx) {
    return toApplication(await apps.requireVisibleApplication(ctx, id));
  }

  @Query(() => ApplicationPage, { description: "Applications in the acting role's scope (a teacher: their own)" })
  async applications(@Args() a: ApplicationFilterArgs, @GqlCtx() ctx: Ctx) {
    const r = await apps.listApplications(ctx, a, a, { sort: a.sort, desc: a.desc });
    return Object.assign(new ApplicationPage(), { items: r.items.map(toApplication), total: r.total });
  }

  @Query(() => ApplicationPage, { description: "Applications waiting at the acting role's level for its unit (default: longest waiting first)" })
  async reviewQueue(
    @Arg("campaignId", () => ID) campaignId: string,
    @Arg("categoryCode", () => String, { nullable: true }) categoryCode: string | null,
    @Args() page: PageArgs,
    @Arg("sort", () => ApplicationSortField, { defaultValue: ApplicationSortField.lastActionAt }) sort: ApplicationSortField,
    @Arg("desc", { defaultValue: false }) desc: boolean,
    @GqlCtx() ctx: Ctx,
  ) {
    const r = await apps.reviewQueue(ctx, campaignId, categoryCode ?? null, page, { sort, desc });
    return Object.assign(new ApplicationPage(), { items: r.items.map(toApplication), total: r.total });
  }

  @Query(() => [FormViolation], {
    description: "Every violation of the submission rules in the applicant's working copy, without saving it (the check submit runs; empty: it may be submitted)",
  })
  async applicationFormCheck(
    @Arg("id", () => ID) id: string,
    @Arg("form", () => ApplicationFormInput) form: ApplicationFormInput,
    @GqlCtx() ctx: Ctx,
  ) {
    const v = await apps.checkApplicationForm(ctx, id, { ...form } as Record<string, unknown>);
    return v.map((x) => Object.assign(new FormViolation(), x));
  }

  @Query(() => [FieldChange], { description: "What changed between two submitted revisions (default: the last two)" })
  async applicationDiff(
    @Arg("id", () => ID) id: string,
    @Arg("fromRevision", () => Int, { nullable: true }) fromRevision: number | null,
    @Arg("toRevision", () => Int, { nullable: true }) toRevision: number | null,
    @GqlCtx() ctx: Ctx,
  ) {
    const row = await apps.requireVisibleApplication(ctx, id);
    const { from, to } = await apps.revisionsToCompare(ctx, row, fromRevision, toRevision);
    return diffRevisions(from.form, to.form).map((c) => Object.assign(new FieldChange(), { field: c.field, label: labelOf(c.field), before: show(c.before), after: show(c.after) }));
  }

  @Mutation(() => Application, { description: "Start an application (a draft) in a category, as teacher, school or region" })
  async createApplication(@Arg("campaignId", () => ID) campaignId: string, @Arg("categoryCode") categoryCode: string, @GqlCtx() ctx: Ctx) {
    return toApplication(await apps.createApplication(ctx, campaignId, categoryCode));
  }

  @Mutation(() => Application, { description: "Save the working copy (draft, or the revision after a return); only formats are checked" })
  async saveApplicationDraft(
    @Arg("id", () => ID) id: string,
    @Arg("version", () => Int) version: number,
    @Arg("form", () => ApplicationFormInput) form: ApplicationFormInput,
    @GqlCtx() ctx: Ctx,
  ) {
    return toApplication(await apps.saveDraft(ctx, id, { ...form } as Record<string, unknown>, version));
  }

  @Mutation(() => Application, { description: "Submit a draft accepting the current 参赛须知: the whole form is checked, and it becomes revision 1" })
  submitApplication(@Args() a: SubmitArgs, @GqlCtx() ctx: Ctx) {
    return act(ctx, a, { type: "submit" }, a.consentVersion);
  }

  @Mutation(() => Application, { description: "Resubmit a returned application as a new revision, accepting the current 参赛须知 again; it restarts at the first level" })
  resubmitApplication(@Args() a: SubmitArgs, @GqlCtx() ctx: Ctx) {
    return act(ctx, a, { type: "resubmit" }, a.consentVersion);
  }

  @Mutation(() => Application, { description: "The applicant withdraws their application (before any recommendation)" })
  withdrawApplication(@Args() a: ActArgs, @Arg("comment", () => String, { nullable: true }) comment: string | null, @GqlCtx() ctx: Ctx) {
    return act(ctx, a, { type: "withdraw", comment });
  }

  @Mutation(() => Application, { description: "Recommend to the next level (takes a quota place)" })
  recommendApplication(@Args() a: ActArgs, @Arg("comment", () => String, { nullable: true }) comment: string | null, @GqlCtx() ctx: Ctx) {
    return act(ctx, a, { type: "recommend", comment });
  }

  @Mutation(() => Application, { description: "Return for revision with a comment (gives back the places it held)" })
  returnApplication(@Args() a: ActArgs, @Arg("comment") comment: string, @GqlCtx() ctx: Ctx) {
    return act(ctx, a, { type: "return", comment });
  }

  @Mutation(() => Application, { description: "Reject with a reason (final for this campaign)" })
  rejectApplication(@Args() a: ActArgs, @Arg("reason") reason: string, @GqlCtx() ctx: Ctx) {
    return act(ctx, a, { type: "reject", reason });
  }

  @Mutation(() => Application, { description: "Withdraw one's recommendation while the next level has not acted (frees the place)" })
  withdrawRecommendation(@Args() a: ActArgs, @Arg("comment", () => String, { nullable: true }) comment: string | null, @GqlCtx() ctx: Ctx) {
    return act(ctx, a, { type: "withdrawRecommendation", comment });
  }

  @Mutation(() => Application, { description: "Province: disqualify (copyright problems, reported content); audited" })
  disqualifyApplication(@Args() a: ActArgs, @Arg("reason") reason: string, @GqlCtx() ctx: Ctx) {
    return act(ctx, a, { type: "disqualify", reason });
  }

  @FieldResolver(() => String)
  categoryName(@Root() a: Application, @GqlCtx() ctx: Ctx) {
    return apps.categoryNameOf(ctx, a.campaignId, a.categoryCode);
  }

  @FieldResolver(() => PersonRef)
  async applicant(@Root() a: Application, @GqlCtx() ctx: Ctx) {
    const id = String(rowOf(a).applicant_user_id);
    return PersonRef.of(id, await userIdentity(ctx, id));
  }

  @FieldResolver(() => OrgUnit)
  applicantUnit(@Root() a: Application, @GqlCtx() ctx: Ctx) {
    return unitById(ctx, a.applicantUnitId);
  }

  @FieldResolver(() => OrgUnit)
  city(@Root() a: Application, @GqlCtx() ctx: Ctx) {
    return unitById(ctx, a.cityId);
  }

  @FieldResolver(() => OrgUnit, { nullable: true })
  county(@Root() a: Application, @GqlCtx() ctx: Ctx) {
    return a.countyId ? unitById(ctx, a.countyId) : null;
  }

  @FieldResolver(() => CountyFieldView)
  async countyField(@Root() a: Application, @GqlCtx() ctx: Ctx) {
    return Object.assign(new CountyFieldView(), await apps.countyFieldOfRow(ctx.db, rowOf(a)));
  }

  @FieldResolver(() => ApplicationFormView)
  async form(@Root() a: Application, @GqlCtx() ctx: Ctx) {
    return formView(ctx, await apps.shownFormOf(ctx, rowOf(a)));
  }

  @FieldResolver(() => [ReviewAction])
  async history(@Root() a: Application, @GqlCtx() ctx: Ctx) {
    return (await apps.historyOf(ctx, a.id)).map(actionView);
  }

  @FieldResolver(() => [ApplicationRevision])
  async revisions(@Root() a: Application, @GqlCtx() ctx: Ctx) {
    const [revs, history] = await Promise.all([apps.revisionsOf(ctx, a.id), apps.historyOf(ctx, a.id)]);
    const out: ApplicationRevision[] = [];
    for (const r of revs) {
      out.push(Object.assign(new ApplicationRevision(), {
        revision: r.revision,
        form: await formView(ctx, r.form),
        submittedBy: Object.assign(new PersonRef(), { id: String(r.submitted_by), name: r.submitter_name, account: r.submitter_account }),
        submittedAt: r.submitted_at,
        actions: history.filter((h) => h.revision === r.revision).map(actionView),
      }));
    }
    return out;
  }

  @FieldResolver(() => [ApplicationConsent], {
    description: "The applicant's acceptance of the 参赛须知 with each submitted revision, oldest first (seen by whoever sees the application)",
  })
  async consents(@Root() a: Application, @GqlCtx() ctx: Ctx) {
    const rows = await apps.consentsOf(ctx, a.id);
    const people = await Promise.all(rows.map((r) => userIdentity(ctx, String(r.user_id))));
    return rows.map((r, i) =>
      Object.assign(new ApplicationConsent(), {
        revision: r.revision,
        version: r.text_version,
        text: r.text,
        acceptedAt: r.accepted_at,
        acceptedBy: PersonRef.of(String(r.user_id), people[i]),
      }),
    );
  }

  @FieldResolver(() => [PipelineActionEnum])
  async allowedActions(@Root() a: Application, @GqlCtx() ctx: Ctx) {
    return pipeline.actionsFor(ctx, rowOf(a));
  }

  @FieldResolver(() => [QuotaPlaceView])
  async quotaPlaces(@Root() a: Application, @GqlCtx() ctx: Ctx) {
    return (await apps.quotaPlacesOf(ctx, a.id)).map((r) => Object.assign(new QuotaPlaceView(), { bucketKey: r.bucket_key, level: r.level, revision: r.revision, takenAt: r.taken_at, releasedAt: r.released_at }));
  }

  @FieldResolver(() => [CriterionResult], {
    description: "The category's criteria as a checklist, computed from the applicant's activity in the campaign year where the platform has data (NO_DATA elsewhere), then reference items",
  })
  criteria(@Root() a: Application, @GqlCtx() ctx: Ctx) {
    return applicationCriteria(ctx, rowOf(a));
  }
}

@Resolver(() => ReviewAction)
export class ReviewActionResolver {
  @FieldResolver(() => OrgUnit)
  actorUnit(@Root() r: ReviewAction, @GqlCtx() ctx: Ctx) {
    return unitById(ctx, (r as ReviewAction & { actorUnitId: string }).actorUnitId);
  }
}
