import { Field, Float, ID, Int, ObjectType, registerEnumType } from "type-graphql";

export enum ActivityImportState {
  QUEUED = "QUEUED",
  RUNNING = "RUNNING",
  DONE = "DONE",
  FAILED = "FAILED",
}
registerEnumType(ActivityImportState, { name: "ActivityImportState", description: "State of an activity import job" });

@ObjectType({ description: "A refused line of an event batch or file" })
export class ActivityLineError {
  @Field(() => Int, { description: "1-based line number in the file or batch" }) line: number;
  @Field({ description: "What is wrong (第N行：…)" }) message: string;
}

@ObjectType()
export class ActivityIngestResult {
  @Field(() => Int, { description: "Lines received (blank ones included)" }) received: number;
  @Field(() => Int, { description: "Valid events (repeated ids included)" }) valid: number;
  @Field(() => Int, { description: "Events newly stored" }) stored: number;
  @Field(() => Int, { description: "Valid events ignored because their id was already stored or repeated in the batch" }) duplicates: number;
  @Field(() => [ActivityLineError]) errors: ActivityLineError[];
  @Field(() => Int, { description: "Accounts whose points were recomputed" }) rescoredAccounts: number;
}

@ObjectType({ description: "An import of an event file (JSON Lines), run as a job" })
export class ActivityImportJob {
  @Field(() => ID) id: string;
  @Field(() => ActivityImportState) state: ActivityImportState;
  @Field() fileName: string;
  @Field(() => Float, { description: "Size of the uploaded file in bytes" }) bytes: number;
  @Field(() => Float, { description: "0 to 1" }) progress: number;
  @Field(() => Int, { description: "Lines read so far" }) processed: number;
  @Field(() => Int, { nullable: true }) lines: number | null;
  @Field(() => Int, { nullable: true }) valid: number | null;
  @Field(() => Int, { nullable: true }) stored: number | null;
  @Field(() => Int, { nullable: true }) duplicates: number | null;
  @Field(() => Int, { nullable: true, description: "Refused lines (the first 100 000 are kept for reading)" }) errorCount: number | null;
  @Field(() => Int, { nullable: true, description: "Accounts whose points changed" }) accounts: number | null;
  @Field(() => Int, { nullable: true, description: "Of those, accounts with no user here: stored, attributed to no unit" }) unknownAccounts: number | null;
  @Field(() => String, { nullable: true, description: "Why the job failed" }) error: string | null;
  @Field(() => Date) createdAt: Date;
  @Field(() => Date) updatedAt: Date;
}

@ObjectType()
export class ActivityImportJobPage {
  @Field(() => [ActivityImportJob]) items: ActivityImportJob[];
  @Field(() => Int) total: number;
}

@ObjectType()
export class ActivityLineErrorPage {
  @Field(() => [ActivityLineError]) items: ActivityLineError[];
  @Field(() => Int) total: number;
}

@ObjectType({ description: "Points of one rule in a period" })
export class ActivityRulePoints {
  @Field({ description: "Rule name: login, profile, mobile_use, spread, submission, lesson, task, interaction, app" }) rule: string;
  @Field() label: string;
  @Field(() => Int) points: number;
}

@ObjectType()
export class ActivityMonth {
  @Field({ description: "YYYY-MM" }) month: string;
  @Field(() => Int) points: number;
  @Field(() => Int) mobile: number;
  @Field({ description: "Earned at least the active minimum (1 point)" }) active: boolean;
  @Field({ description: "Reached the monthly target" }) targetMet: boolean;
}

@ObjectType({ description: "Points of one Asia/Shanghai day" })
export class ActivityDay {
  @Field({ description: "YYYY-MM-DD" }) day: string;
  @Field(() => Int) points: number;
  @Field(() => Int) mobile: number;
}

/** Orders of the points log. */
export enum LedgerSortField {
  time = "time",
  points = "points",
  rule = "rule",
}
registerEnumType(LedgerSortField, {
  name: "LedgerSortField",
  description: "Sort keys of the points log; ties newest first",
  valuesConfig: {
    time: { description: "Application order (the order of the events' instants)" },
    points: { description: "Points of the entry (deductions are negative)" },
    rule: { description: "Rule, in the rule set's order (login, profile, mobile_use, spread, submission, lesson, task, interaction, app)" },
  },
});

@ObjectType({ description: "One award (points > 0) or deduction (points < 0) of the points log" })
export class ActivityLedgerEntry {
  @Field(() => Int, { description: "Position in the account's ledger (application order)" }) seq: number;
  @Field({ description: "Asia/Shanghai day, YYYY-MM-DD" }) day: string;
  @Field() rule: string;
  @Field() ruleLabel: string;
  @Field(() => Int) points: number;
  @Field({ description: "Awarded by an event sent from the mobile client" }) mobile: boolean;
  @Field() eventId: string;
  @Field(() => String, { nullable: true }) eventType: string | null;
  @Field(() => Date, { nullable: true }) eventAt: Date | null;
}

@ObjectType()
export class ActivityLedgerPage {
  @Field(() => [ActivityLedgerEntry]) items: ActivityLedgerEntry[];
  @Field(() => Int) total: number;
}

@ObjectType({ description: "A teacher's (platform account's) activity points in a year" })
export class TeacherActivity {
  @Field({ description: "Platform (teacher-training) account" }) account: string;
  @Field(() => ID, { nullable: true, description: "The user with this account; null when the account is unknown here" }) userId: string | null;
  @Field(() => String, { nullable: true }) name: string | null;
  @Field(() => String, { nullable: true }) unitName: string | null;
  @Field({ description: "Locked users keep their history and leave school statistics" }) locked: boolean;
  @Field(() => Int) year: number;
  @Field(() => Int, { description: "Net points of the year (deductions included)" }) total: number;
  @Field(() => Int, { description: "Points awarded by mobile events" }) mobile: number;
  @Field(() => Float, { description: "mobile / total (0 when total ≤ 0)" }) mobileShare: number;
  @Field(() => [ActivityRulePoints], { description: "All nine rules" }) rules: ActivityRulePoints[];
  @Field(() => [ActivityMonth], { description: "The twelve months of the year" }) months: ActivityMonth[];
  @Field(() => Int) monthTarget: number;
  @Field(() => Int) yearTarget: number;
  @Field() yearTargetMet: boolean;
  @Field({ description: "Active space in the year" }) active: boolean;
}
