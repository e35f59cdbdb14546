/** Activity points (SPEC §5, Annex 1 of 000_9d5d1679f5733cc2.txt): rules, events, engine, report. */
export {
  DEFAULT_RULE_SET,
  RULE_NAMES,
  RULE_SET_2018_TRIAL,
  ruleSetProblems,
  type ActivityTargets,
  type RuleName,
  type RuleSet,
} from "./rule-set.js";
export {
  EVENT_TYPES,
  EventMessages,
  isBlankLine,
  lineMessage,
  parseEventLine,
  validateEvent,
  type ActivityEvent,
  type AppUseEvent,
  type Client,
  type EventError,
  type EventType,
  type InteractionEvent,
  type LessonEvent,
  type LoginEvent,
  type MobileOpEvent,
  type ParsedLine,
  type ProfileItemEvent,
  type ResourceDeletedEvent,
  type ResourceReviewEvent,
  type ResourceSpreadEvent,
  type TaskEngagedEvent,
  type TaskPublishedEvent,
} from "./event.js";
export {
  compareInstants,
  dayString,
  monthString,
  newParsedInstant,
  parseInstant,
  shanghaiDay,
  TimestampStatus,
  type ParsedInstant,
} from "./timestamp.js";
export {
  emptyRuleTotals,
  formatReport,
  summarizeLedger,
  type ActivityReport,
  type LedgerEntry,
  type ReportOptions,
  type RuleTotals,
  type UserActivity,
} from "./report.js";
export { ActivityScoringSession, scoreEventFile, type SessionOptions } from "./session.js";
export { scoreEvents, summarizeEvents, type ScoreOptions } from "./score-events.js";
export { beneficiaryOf, partitionByUser, taskPublishers } from "./partition.js";
export { accountSums, type AccountSums, type PeriodSum, type PointSum } from "./account-sums.js";
export { evaluateSchool, isActiveSpace, meetsTeacherTarget, type SchoolActivity, type TargetPeriod } from "./targets.js";
