import { describe, expect, it } from "vitest";
import type { ReviewLevel } from "../campaign/types.js";
import type { ApplicationOrigin } from "./levels.js";
import {
  allowedActions,
  stageOfAction,
  transition,
  type Actor,
  type ApplicationState,
  type PipelineAction,
  type PipelineActionType,
  type PipelineApplication,
} from "./transition.js";

const PATH: ReviewLevel[] = ["COUNTY", "CITY", "PROVINCE"];
const TEACHER_ORIGIN: ApplicationOrigin = { applicantKind: "TEACHER", cityCode: "330300", countyCode: "330381", schoolKey: "school-1", practiceBaseKey: null };

const teacher: Actor = { userId: "t1", role: "TEACHER", unitKey: "school-1" };
const otherTeacher: Actor = { userId: "t2", role: "TEACHER", unitKey: "school-1" };
const schoolAdmin: Actor = { userId: "s1", role: "SCHOOL_ADMIN", unitKey: "school-1" };
const county: Actor = { userId: "c1", role: "COUNTY_REVIEWER", unitKey: "330381" };
const otherCounty: Actor = { userId: "c2", role: "COUNTY_REVIEWER", unitKey: "330302" };
const city: Actor = { userId: "w1", role: "CITY_REVIEWER", unitKey: "330300" };
const otherCity: Actor = { userId: "h1", role: "CITY_REVIEWER", unitKey: "330100" };
const province: Actor = { userId: "p1", role: "PROVINCE_ADMIN", unitKey: "330000" };
const expert: Actor = { userId: "e1", role: "EXPERT", unitKey: "330000" };

const LEVEL_OF: Record<ApplicationState, ReviewLevel | null> = {
  DRAFT: null,
  SUBMITTED: "COUNTY",
  PENDING: "CITY",
  AT_PROVINCE: "PROVINCE",
  EXPERT_REVIEW: "PROVINCE",
  RETURNED: null,
  REJECTED: null,
  FINALIZED: null,
  NOT_SELECTED: null,
  DISQUALIFIED: null,
  WITHDRAWN: null,
};

function app(state: ApplicationState, over: Partial<PipelineApplication> = {}): PipelineApplication {
  return { state, currentLevel: LEVEL_OF[state], revision: 1, levels: PATH, applicantUserId: "t1", origin: TEACHER_ORIGIN, ...over };
}

const PAYLOAD: Record<PipelineActionType, PipelineAction> = {
  submit: { type: "submit" },
  recommend: { type: "recommend" },
  return: { type: "return", comment: "请补充案例过程" },
  reject: { type: "reject", reason: "不符合申报条件" },
  withdrawRecommendation: { type: "withdrawRecommendation" },
  resubmit: { type: "resubmit" },
  withdraw: { type: "withdraw" },
  startExpertReview: { type: "startExpertReview" },
  disqualify: { type: "disqualify", reason: "内容存在版权争议" },
  finalize: { type: "finalize", grade: "一等" },
  notSelect: { type: "notSelect" },
  close: { type: "close", comment: "该类别已确定等次" },
};

const reviewerAt: Record<ReviewLevel, Actor> = { SCHOOL: schoolAdmin, COUNTY: county, CITY: city, PROVINCE: province };

/** The actor entitled to try the action, so the matrix tests the state rules alone. */
function entitled(a: PipelineApplication, type: PipelineActionType): Actor {
  if (type === "submit" || type === "resubmit" || type === "withdraw") return teacher;
  if (["startExpertReview", "disqualify", "finalize", "notSelect", "close"].includes(type)) return province;
  if (type === "withdrawRecommendation") {
    const i = a.currentLevel ? PATH.indexOf(a.currentLevel) : -1;
    return i > 0 ? reviewerAt[PATH[i - 1]!] : county;
  }
  return reviewerAt[a.currentLevel ?? "COUNTY"];
}

const STATES = Object.keys(LEVEL_OF) as ApplicationState[];
const ACTIONS = Object.keys(PAYLOAD) as PipelineActionType[];

/** Expected [state, level] after each action from each state; absent: INVALID_TRANSITION. */
const EXPECTED: Partial<Record<PipelineActionType, Partial<Record<ApplicationState, [ApplicationState, ReviewLevel | null]>>>> = {
  submit: { DRAFT: ["SUBMITTED", "COUNTY"] },
  recommend: { SUBMITTED: ["PENDING", "CITY"], PENDING: ["AT_PROVINCE", "PROVINCE"] },
  return: { SUBMITTED: ["RETURNED", null], PENDING: ["RETURNED", null], AT_PROVINCE: ["RETURNED", null] },
  reject: { SUBMITTED: ["REJECTED", null], PENDING: ["REJECTED", null], AT_PROVINCE: ["REJECTED", null] },
  withdrawRecommendation: { PENDING: ["SUBMITTED", "COUNTY"], AT_PROVINCE: ["PENDING", "CITY"] },
  resubmit: { RETURNED: ["SUBMITTED", "COUNTY"] },
  withdraw: { DRAFT: ["WITHDRAWN", null], SUBMITTED: ["WITHDRAWN", null], RETURNED: ["WITHDRAWN", null] },
  startExpertReview: { AT_PROVINCE: ["EXPERT_REVIEW", "PROVINCE"] },
  disqualify: Object.fromEntries(
    (["SUBMITTED", "PENDING", "AT_PROVINCE", "EXPERT_REVIEW", "RETURNED", "REJECTED", "FINALIZED", "NOT_SELECTED"] as ApplicationState[]).map((s) => [s, ["DISQUALIFIED", null]]),
  ),
  finalize: { EXPERT_REVIEW: ["FINALIZED", null] },
  notSelect: { EXPERT_REVIEW: ["NOT_SELECTED", null] },
};

describe("transition: every action from every state", () => {
  const cases = STATES.flatMap((s) => ACTIONS.map((t) => [s, t, EXPECTED[t]?.[s] ?? null] as const));
  it.each(cases)("from %s, %s → %j", (state, type, expected) => {
    const a = app(state);
    const run = () => transition(a, PAYLOAD[type], entitled(a, type));
    if (expected === null) {
      expect(run).toThrow(expect.objectContaining({ code: "INVALID_TRANSITION" }));
    } else {
      const r = run();
      expect([r.state, r.currentLevel]).toEqual(expected);
      expect(r.entry).toMatchObject({ action: type, fromState: state, toState: expected[0], toLevel: expected[1] });
    }
  });
});

describe("transition: who may act", () => {
  it.each<[string, ApplicationState, PipelineActionType, Actor]>([
    ["another teacher cannot submit my application", "DRAFT", "submit", otherTeacher],
    ["a school admin cannot submit a teacher's application", "DRAFT", "submit", schoolAdmin],
    ["another teacher cannot withdraw it", "SUBMITTED", "withdraw", otherTeacher],
    ["the applicant cannot recommend", "SUBMITTED", "recommend", teacher],
    ["another county's reviewer cannot recommend", "SUBMITTED", "recommend", otherCounty],
    ["the city cannot act while it waits at the county", "SUBMITTED", "return", city],
    ["the province cannot act while it waits at the county", "SUBMITTED", "reject", province],
    ["the county cannot act once it waits at the city", "PENDING", "recommend", county],
    ["another city cannot act at the city level", "PENDING", "return", otherCity],
    ["the county cannot withdraw the city's recommendation", "AT_PROVINCE", "withdrawRecommendation", county],
    ["the city cannot withdraw the county's recommendation", "PENDING", "withdrawRecommendation", city],
    ["a city reviewer cannot disqualify", "FINALIZED", "disqualify", city],
    ["an expert cannot finalize", "EXPERT_REVIEW", "finalize", expert],
    ["an expert cannot start the expert review", "AT_PROVINCE", "startExpertReview", expert],
  ])("%s", (_n, state, type, actor) => {
    expect(() => transition(app(state), PAYLOAD[type], actor)).toThrow(expect.objectContaining({ code: "FORBIDDEN" }));
  });

  it("tells a reviewer acting at the wrong level which role is needed", () => {
    expect(() => transition(app("SUBMITTED"), { type: "recommend" }, city)).toThrow(
      "此操作需由县（市、区）级的「县（市、区）审核员」进行，您当前的角色是「设区市审核员」",
    );
  });

  it("tells a reviewer of another unit that the application is not theirs", () => {
    expect(() => transition(app("SUBMITTED"), { type: "recommend" }, otherCounty)).toThrow("该申报不由您所在单位在县（市、区）级审核");
  });

  it("checks the state before the actor", () => {
    expect(() => transition(app("REJECTED"), { type: "recommend" }, otherCounty)).toThrow(expect.objectContaining({ code: "INVALID_TRANSITION" }));
  });

  it("explains an impossible transition in Chinese", () => {
    expect(() => transition(app("RETURNED"), { type: "recommend" }, county)).toThrow("申报当前状态为「已退回修改」，不能推荐");
    expect(() => transition(app("AT_PROVINCE"), { type: "recommend" }, province)).toThrow("申报当前状态为「已报送省级」（省级），不能推荐");
  });

  describe("school applications", () => {
    const school: ApplicationOrigin = { ...TEACHER_ORIGIN, applicantKind: "SCHOOL" };
    const a = app("DRAFT", { origin: school, applicantUserId: "s1" });
    it("are submitted by the school's admin", () => {
      expect(transition(a, { type: "submit" }, schoolAdmin).state).toBe("SUBMITTED");
      expect(transition(a, { type: "submit" }, { userId: "s9", role: "SCHOOL_ADMIN", unitKey: "school-1" }).state).toBe("SUBMITTED");
    });
    it("not by another school's admin nor by a teacher", () => {
      expect(() => transition(a, { type: "submit" }, { ...schoolAdmin, unitKey: "school-2" })).toThrow(expect.objectContaining({ code: "FORBIDDEN" }));
      expect(() => transition(a, { type: "submit" }, { ...teacher, userId: "s1" })).toThrow(expect.objectContaining({ code: "FORBIDDEN" }));
    });
  });

  describe("region applications", () => {
    const countyRegion: ApplicationOrigin = { applicantKind: "REGION", cityCode: "330300", countyCode: "330381", schoolKey: null, practiceBaseKey: null };
    const cityRegion: ApplicationOrigin = { ...countyRegion, countyCode: null };
    const levels: ReviewLevel[] = ["CITY", "PROVINCE"];

    it("a county's is submitted by its county reviewer and waits at the city", () => {
      const r = transition(app("DRAFT", { origin: countyRegion, levels }), { type: "submit" }, county);
      expect([r.state, r.currentLevel]).toEqual(["SUBMITTED", "CITY"]);
    });
    it("a city's own is submitted and then recommended by its city reviewer", () => {
      const submitted = transition(app("DRAFT", { origin: cityRegion, levels }), { type: "submit" }, city);
      const r = transition(app(submitted.state, { origin: cityRegion, levels, currentLevel: submitted.currentLevel }), { type: "recommend" }, city);
      expect([r.state, r.currentLevel]).toEqual(["AT_PROVINCE", "PROVINCE"]);
    });
    it("another county cannot submit it", () => {
      expect(() => transition(app("DRAFT", { origin: countyRegion, levels }), { type: "submit" }, otherCounty)).toThrow(expect.objectContaining({ code: "FORBIDDEN" }));
    });
  });

  it("a school admin confirms a teacher's application when the campaign asks for it", () => {
    const levels: ReviewLevel[] = ["SCHOOL", "COUNTY", "CITY", "PROVINCE"];
    const submitted = transition(app("DRAFT", { levels }), { type: "submit" }, teacher);
    expect([submitted.state, submitted.currentLevel]).toEqual(["SUBMITTED", "SCHOOL"]);
    const confirmed = transition(app("SUBMITTED", { levels, currentLevel: "SCHOOL" }), { type: "recommend" }, schoolAdmin);
    expect([confirmed.state, confirmed.currentLevel]).toEqual(["PENDING", "COUNTY"]);
    expect(() => transition(app("SUBMITTED", { levels, currentLevel: "SCHOOL" }), { type: "recommend" }, county)).toThrow(expect.objectContaining({ code: "FORBIDDEN" }));
  });
});

describe("transition: comments, reasons and grades", () => {
  it.each<[string, ApplicationState, PipelineAction, Actor, string]>([
    ["a return without a comment", "SUBMITTED", { type: "return", comment: "" }, county, "comment"],
    ["a return with only spaces", "SUBMITTED", { type: "return", comment: "  \n " }, county, "comment"],
    ["a rejection without a reason", "PENDING", { type: "reject", reason: "" }, city, "reason"],
    ["a disqualification without a reason", "FINALIZED", { type: "disqualify", reason: " " }, province, "reason"],
    ["a finalization without a grade", "EXPERT_REVIEW", { type: "finalize", grade: "" }, province, "grade"],
  ])("refuses %s", (_n, state, action, actor, field) => {
    expect(() => transition(app(state), action, actor)).toThrow(expect.objectContaining({ code: "BAD_INPUT", field }));
  });

  it("refuses a comment over 2000 characters", () => {
    expect(() => transition(app("SUBMITTED"), { type: "return", comment: "改".repeat(2001) }, county)).toThrow(
      expect.objectContaining({ code: "BAD_INPUT", details: { violations: [expect.objectContaining({ rule: "maxLength" })] } }),
    );
  });

  it("keeps the trimmed comment and the grade in the history entry", () => {
    expect(transition(app("SUBMITTED"), { type: "return", comment: "  请补充数据 " }, county).entry.comment).toBe("请补充数据");
    const r = transition(app("EXPERT_REVIEW"), { type: "finalize", grade: "二等" }, province);
    expect([r.grade, r.entry.grade]).toEqual(["二等", "二等"]);
  });

  it("takes an optional recommendation comment", () => {
    expect(transition(app("SUBMITTED"), { type: "recommend", comment: "推荐" }, county).entry.comment).toBe("推荐");
    expect(transition(app("SUBMITTED"), { type: "recommend" }, county).entry.comment).toBeNull();
  });

  it("refuses an unknown action", () => {
    expect(() => transition(app("SUBMITTED"), { type: "approve" } as unknown as PipelineAction, county)).toThrow(expect.objectContaining({ code: "BAD_INPUT" }));
  });
});

describe("transition: revisions and history", () => {
  it("records who acted, at which level, from where to where", () => {
    expect(transition(app("SUBMITTED"), { type: "recommend" }, county).entry).toEqual({
      action: "recommend",
      fromState: "SUBMITTED",
      fromLevel: "COUNTY",
      toState: "PENDING",
      toLevel: "CITY",
      level: "COUNTY",
      revision: 1,
      comment: null,
      grade: null,
      actorUserId: "c1",
      actorRole: "COUNTY_REVIEWER",
      actorUnitKey: "330381",
    });
  });

  it("a resubmission creates a new revision that restarts at the first level", () => {
    const r = transition(app("RETURNED", { revision: 2 }), { type: "resubmit" }, teacher);
    expect([r.state, r.currentLevel, r.revision, r.entry.revision, r.entry.level]).toEqual(["SUBMITTED", "COUNTY", 3, 3, null]);
  });

  it("a return at the province sends it back to the applicant on the same revision", () => {
    const r = transition(app("AT_PROVINCE", { revision: 2 }), { type: "return", comment: "视频不清晰" }, province);
    expect([r.state, r.revision, r.entry.level]).toEqual(["RETURNED", 2, "PROVINCE"]);
  });

  it("a withdrawn recommendation is recorded at the level that withdrew it", () => {
    const r = transition(app("AT_PROVINCE"), { type: "withdrawRecommendation" }, city);
    expect([r.entry.level, r.state, r.currentLevel]).toEqual(["CITY", "PENDING", "CITY"]);
  });

  it("walks the whole pipeline to a grade", () => {
    let a = app("DRAFT");
    const step = (action: PipelineAction, actor: Actor) => {
      const r = transition(a, action, actor);
      a = { ...a, state: r.state, currentLevel: r.currentLevel, revision: r.revision };
      return r;
    };
    step({ type: "submit" }, teacher);
    step({ type: "return", comment: "请完善概述" }, county);
    step({ type: "resubmit" }, teacher);
    step({ type: "recommend" }, county);
    step({ type: "recommend" }, city);
    step({ type: "startExpertReview" }, province);
    const last = step({ type: "finalize", grade: "一等" }, province);
    expect([a.state, a.revision, last.grade]).toEqual(["FINALIZED", 2, "一等"]);
  });
});

describe("allowedActions", () => {
  it.each<[ApplicationState, Actor, PipelineActionType[]]>([
    ["DRAFT", teacher, ["submit", "withdraw"]],
    ["DRAFT", county, []],
    ["SUBMITTED", teacher, ["withdraw"]],
    ["SUBMITTED", county, ["recommend", "return", "reject"]],
    ["SUBMITTED", otherCounty, []],
    ["SUBMITTED", province, ["disqualify"]],
    ["PENDING", city, ["recommend", "return", "reject"]],
    ["PENDING", county, ["withdrawRecommendation"]],
    ["AT_PROVINCE", province, ["return", "reject", "startExpertReview", "disqualify"]],
    ["AT_PROVINCE", city, ["withdrawRecommendation"]],
    ["EXPERT_REVIEW", city, []],
    ["EXPERT_REVIEW", province, ["disqualify", "finalize", "notSelect"]],
    ["RETURNED", teacher, ["resubmit", "withdraw"]],
    ["FINALIZED", province, ["disqualify"]],
    ["WITHDRAWN", teacher, []],
    ["DISQUALIFIED", province, []],
  ])("in %s, %o may %j", (state, actor, expected) => {
    expect(allowedActions(app(state), actor)).toEqual(expected);
  });
});

describe("stageOfAction", () => {
  it.each<[PipelineActionType, ReviewLevel | null, ReviewLevel | null, string | null]>([
    ["submit", null, "COUNTY", "APPLICATION"],
    ["resubmit", null, "COUNTY", "COUNTY_REVIEW"],
    ["resubmit", null, "SCHOOL", "SCHOOL_REVIEW"],
    ["withdraw", null, null, null],
    ["recommend", "SCHOOL", "COUNTY", "SCHOOL_REVIEW"],
    ["recommend", "COUNTY", "CITY", "COUNTY_REVIEW"],
    ["return", "CITY", null, "CITY_REVIEW"],
    ["reject", "PROVINCE", null, "PROVINCE_REVIEW"],
    ["withdrawRecommendation", "CITY", "CITY", "CITY_REVIEW"],
    ["startExpertReview", "PROVINCE", "PROVINCE", "PROVINCE_REVIEW"],
    ["finalize", "PROVINCE", null, "PROVINCE_REVIEW"],
    ["notSelect", "PROVINCE", null, "PROVINCE_REVIEW"],
    ["disqualify", "PROVINCE", null, null],
  ])("%s at %s (to %s) is governed by %s", (action, level, toLevel, stage) => {
    expect(stageOfAction({ action, level, toLevel })).toBe(stage);
  });

  it("takes the entry transition returns", () => {
    const r = transition(app("RETURNED"), { type: "resubmit" }, teacher);
    expect(stageOfAction(r.entry)).toBe("COUNTY_REVIEW");
  });
});

describe("transition: conflict of interest", () => {
  // The teacher t1 who applied is also a county reviewer of 瑞安市 (330381).
  const selfCounty: Actor = { userId: "t1", role: "COUNTY_REVIEWER", unitKey: "330381" };
  // u9 is listed on the application (its person in charge) and reviews for 温州市.
  const listedCity: Actor = { userId: "u9", role: "CITY_REVIEWER", unitKey: "330300" };
  const listed = { listedUserIds: ["u9"] };

  it.each<[string, ApplicationState, PipelineActionType, Actor, Partial<PipelineApplication>]>([
    ["the applicant recommends as county reviewer", "SUBMITTED", "recommend", selfCounty, {}],
    ["the applicant returns it as county reviewer", "SUBMITTED", "return", selfCounty, {}],
    ["the applicant rejects it as county reviewer", "SUBMITTED", "reject", selfCounty, {}],
    ["a listed person recommends at the city", "PENDING", "recommend", listedCity, listed],
    ["a listed person withdraws the city's recommendation", "AT_PROVINCE", "withdrawRecommendation", listedCity, listed],
    ["the applicant confirms at the school", "SUBMITTED", "recommend", { userId: "t1", role: "SCHOOL_ADMIN", unitKey: "school-1" }, { levels: ["SCHOOL", "COUNTY", "CITY", "PROVINCE"], currentLevel: "SCHOOL" }],
    ["a listed province admin finalizes", "EXPERT_REVIEW", "finalize", { ...province, userId: "u9" }, listed],
    ["a listed province admin starts expert review", "AT_PROVINCE", "startExpertReview", { ...province, userId: "u9" }, listed],
  ])("refuses: %s", (_n, state, type, actor, over) => {
    const a = app(state, over);
    expect(() => transition(a, PAYLOAD[type], actor)).toThrow(expect.objectContaining({ code: "CONFLICT_OF_INTEREST" }));
    expect(allowedActions(a, actor)).not.toContain(type);
  });

  it("names the rule in the message", () => {
    expect(() => transition(app("SUBMITTED"), PAYLOAD.recommend, selfCounty)).toThrow(/须回避，不能推荐此申报/);
  });

  it("lets another reviewer of the same unit act", () => {
    expect(allowedActions(app("SUBMITTED"), county)).toEqual(expect.arrayContaining(["recommend", "return", "reject"]));
    expect(transition(app("PENDING", listed), PAYLOAD.recommend, city).state).toBe("AT_PROVINCE");
  });

  it("lets the level above decide when every reviewer of the unit is listed, for that level", () => {
    const a = app("SUBMITTED", { escalatedLevels: ["COUNTY"] });
    const r = transition(a, PAYLOAD.recommend, city);
    expect(r).toMatchObject({ state: "PENDING", currentLevel: "CITY", entry: { level: "COUNTY", actorRole: "CITY_REVIEWER" } });
    expect(allowedActions(a, city)).toEqual(expect.arrayContaining(["recommend", "return", "reject"]));
    // Only the city of the application, and never without the escalation.
    expect(allowedActions(a, otherCity)).toEqual([]);
    expect(allowedActions(app("SUBMITTED"), city)).toEqual([]);
    // The province does not skip two levels.
    expect(allowedActions(a, province)).not.toContain("recommend");
    // A listed city reviewer stays refused even when escalated to.
    expect(() => transition({ ...a, ...listed }, PAYLOAD.recommend, listedCity)).toThrow(expect.objectContaining({ code: "CONFLICT_OF_INTEREST" }));
  });

  it("lets a city put forward its own region application", () => {
    const origin: ApplicationOrigin = { applicantKind: "REGION", cityCode: "330300", countyCode: null, schoolKey: null, practiceBaseKey: null };
    const a = app("SUBMITTED", { origin, levels: ["CITY", "PROVINCE"], currentLevel: "CITY", applicantUserId: "w1", listedUserIds: ["w1"] });
    expect(transition(a, PAYLOAD.recommend, city).state).toBe("AT_PROVINCE");
    // …but the province still cannot be a party to it.
    expect(() => transition(app("AT_PROVINCE", { origin, levels: ["CITY", "PROVINCE"], listedUserIds: ["p1"] }), PAYLOAD.reject, province)).toThrow(
      expect.objectContaining({ code: "CONFLICT_OF_INTEREST" }),
    );
  });
});

describe("closing a category: every state is terminal or someone can act", () => {
  const FINAL: ApplicationState[] = ["REJECTED", "FINALIZED", "NOT_SELECTED", "DISQUALIFIED", "WITHDRAWN"];
  const PATHS: ReviewLevel[][] = [PATH, ["SCHOOL", "COUNTY", "CITY", "PROVINCE"], ["CITY", "PROVINCE"]];
  const everyone = [teacher, schoolAdmin, county, city, province, expert];
  const levelOf = (state: ApplicationState, levels: ReviewLevel[]): ReviewLevel | null =>
    state === "SUBMITTED" ? levels[0]! : state === "PENDING" ? levels[levels.length - 2]! : LEVEL_OF[state];
  const cases = PATHS.flatMap((levels) =>
    STATES.flatMap((state) => ([null, "CATEGORY_FINALIZED", "RESULTS_PUBLISHED"] as const).map((closed) => [levels.join(">"), state, closed, levels] as const)),
  );

  it.each(cases)("%s, %s, closed: %s", (_p, state, closed, levels) => {
    const a = app(state, { levels, currentLevel: levelOf(state, levels), closed });
    const can = everyone.flatMap((who) => allowedActions(a, who).map((t) => [who, t] as const));
    if (FINAL.includes(state)) {
      expect(can.filter(([, t]) => t !== "disqualify")).toEqual([]);
      return;
    }
    expect(can.length, `nobody can act on ${state}`).toBeGreaterThan(0);
    if (closed) {
      // Nothing of a closed category moves toward the province any more…
      for (const [who, t] of can) {
        const r = transition(a, PAYLOAD[t], who);
        expect(["SUBMITTED", "PENDING", "AT_PROVINCE", "EXPERT_REVIEW"], `${t} by ${who.role}`).not.toContain(r.state);
      }
      // …and the province can end any application still in review.
      if (state !== "DRAFT") expect(allowedActions(a, province)).toContain("close");
    }
  });

  it("refuses every action toward the province with PIPELINE_CLOSED, naming the reason", () => {
    const pending = app("PENDING", { closed: "CATEGORY_FINALIZED" });
    expect(() => transition(pending, PAYLOAD.recommend, city)).toThrow(expect.objectContaining({ code: "PIPELINE_CLOSED", message: "该类别已确定等次，评审已结束，不能再推荐" }));
    expect(() => transition(app("DRAFT", { closed: "RESULTS_PUBLISHED" }), PAYLOAD.submit, teacher)).toThrow(
      expect.objectContaining({ code: "PIPELINE_CLOSED", message: "本次活动的评审结果已发布，评审已结束，不能再提交" }),
    );
    expect(() => transition(app("RETURNED", { closed: "CATEGORY_FINALIZED" }), PAYLOAD.resubmit, teacher)).toThrow(expect.objectContaining({ code: "PIPELINE_CLOSED" }));
    expect(() => transition(app("AT_PROVINCE", { closed: "CATEGORY_FINALIZED" }), PAYLOAD.startExpertReview, province)).toThrow(expect.objectContaining({ code: "PIPELINE_CLOSED" }));
    expect(() => transition(app("AT_PROVINCE", { closed: "CATEGORY_FINALIZED" }), PAYLOAD.withdrawRecommendation, city)).toThrow(expect.objectContaining({ code: "PIPELINE_CLOSED" }));
  });

  it("closes to NOT_SELECTED, only in a closed category, even for a province admin listed on it", () => {
    expect(() => transition(app("PENDING"), PAYLOAD.close, province)).toThrow(expect.objectContaining({ code: "INVALID_TRANSITION" }));
    const r = transition(app("PENDING", { closed: "CATEGORY_FINALIZED", listedUserIds: ["p1"] }), PAYLOAD.close, province);
    expect(r).toMatchObject({ state: "NOT_SELECTED", currentLevel: null, entry: { action: "close", level: "PROVINCE", comment: "该类别已确定等次" } });
    expect(stageOfAction(r.entry)).toBeNull();
  });
});
