import { describe, expect, it } from "vitest";
import { EVENT_TYPES } from "./activity/event.js";
import { RULE_NAMES } from "./activity/rule-set.js";
import {
  CAMPAIGN_STATUSES, CAMPAIGN_STATUS_LABELS, CONTACT_STATES, CONTACT_STATE_LABELS, EVENT_TYPE_LABELS, EXPERT_ASSIGNMENT_STATES,
  EXPERT_ASSIGNMENT_STATE_LABELS, EXPERT_SCORE_STATES, EXPERT_SCORE_STATE_LABELS, RULE_LABELS, eventTypeLabel, ruleLabel,
} from "./labels.js";
import { mobileSharePoints } from "./rubric/featured-space.js";

const cases: [string, readonly string[], Record<string, string>][] = [
  ["event types", EVENT_TYPES, EVENT_TYPE_LABELS],
  ["rules", RULE_NAMES, RULE_LABELS],
  ["campaign statuses", CAMPAIGN_STATUSES, CAMPAIGN_STATUS_LABELS],
  ["expert assignment states", EXPERT_ASSIGNMENT_STATES, EXPERT_ASSIGNMENT_STATE_LABELS],
  ["expert score states", EXPERT_SCORE_STATES, EXPERT_SCORE_STATE_LABELS],
  ["contact states", CONTACT_STATES, CONTACT_STATE_LABELS],
];

describe("labels", () => {
  it.each(cases)("every one of the %s has a Chinese label, and nothing else has one", (_, values, labels) => {
    expect(Object.keys(labels).sort()).toEqual([...values].sort());
    for (const v of values) expect(labels[v]).toMatch(/[\u4e00-\u9fff]/);
  });

  it("names unknown values as they are and a missing event type as —", () => {
    expect(eventTypeLabel("task_published")).toBe("发布学习任务");
    expect(eventTypeLabel("unknown_type")).toBe("unknown_type");
    expect(eventTypeLabel(null)).toBe("—");
    expect(ruleLabel("mobile_use")).toBe("空间使用（移动端）");
    expect(ruleLabel("x")).toBe("x");
  });
});

describe("mobileSharePoints", () => {
  it("gives 1 point per full 10% of the year's points on mobile, at most 5, none without points", () => {
    expect(mobileSharePoints(0, 0)).toBe(0);
    expect(mobileSharePoints(-3, 1)).toBe(0);
    expect(mobileSharePoints(100, 9)).toBe(0);
    expect(mobileSharePoints(100, 10)).toBe(1);
    expect(mobileSharePoints(300, 99)).toBe(3);
    expect(mobileSharePoints(100, 100)).toBe(5);
  });
});
