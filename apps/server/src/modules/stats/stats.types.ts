import { Field, Float, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { OrgUnit } from "../org/org.types.js";

/** Orders of the school ranking and below-target schools (the rank shown stays the rank by overall activity). */
export enum SchoolRankingSortField {
  rank = "rank",
  meanPoints = "meanPoints",
  name = "name",
  teachers = "teachers",
  activeTeachers = "activeTeachers",
  activeRatio = "activeRatio",
  totalPoints = "totalPoints",
  shareMeetingTarget = "shareMeetingTarget",
}
registerEnumType(SchoolRankingSortField, {
  name: "SchoolRankingSortField",
  description: "Sort keys of school rankings; ties are ordered by school code, then id",
  valuesConfig: {
    rank: { description: "Rank by overall activity (ascending: rank 1 first)" },
    meanPoints: { description: "Overall activity: mean points of the unlocked teachers" },
    name: { description: "School name (code-point order)" },
    teachers: { description: "Unlocked teachers" },
    activeTeachers: { description: "Active spaces" },
    activeRatio: { description: "Active-space ratio" },
    totalPoints: { description: "Sum of the unlocked teachers' points" },
    shareMeetingTarget: { description: "Share of teachers meeting the teacher target" },
  },
});

/** Orders of the teacher lists. */
export enum TeacherActivitySortField {
  points = "points",
  mobile = "mobile",
  name = "name",
  account = "account",
  school = "school",
}
registerEnumType(TeacherActivitySortField, {
  name: "TeacherActivitySortField",
  description: "Sort keys of teacher lists; ties are ordered by account",
  valuesConfig: {
    points: { description: "Points in the period" },
    mobile: { description: "Points from mobile events" },
    name: { description: "Teacher name (code-point order)" },
    account: { description: "Teacher-training account" },
    school: { description: "Home unit name (teachers of one school together)" },
  },
});

@ObjectType({ description: "Activity statistics of a unit (school, district, county, city or province) and everything below it, for a year or a month" })
export class UnitActivity {
  @Field(() => OrgUnit) unit: OrgUnit;
  @Field({ description: "YYYY or YYYY-MM" }) period: string;
  @Field(() => Int, { description: "Unlocked teachers (locked ones leave statistics and keep their history)" }) teachers: number;
  @Field(() => Int) lockedTeachers: number;
  @Field(() => Int, { description: "Teachers whose space earned at least 1 point in the period" }) activeTeachers: number;
  @Field(() => Float, { description: "activeTeachers / teachers (active-space ratio)" }) activeRatio: number;
  @Field(() => Float, { description: "Sum of the unlocked teachers' points" }) totalPoints: number;
  @Field(() => Float, { description: "Overall activity: the mean points of the unlocked teachers" }) meanPoints: number;
  @Field(() => Float) mobilePoints: number;
  @Field(() => Float, { description: "mobilePoints / totalPoints (0 when no points)" }) mobileShare: number;
  @Field(() => Int, { description: "Teachers who reached the teacher target of the period" }) teachersMeetingTarget: number;
  @Field(() => Float) shareMeetingTarget: number;
  @Field(() => Int, { description: "Teacher target of the period (30 a month, 300 a year)" }) teacherTarget: number;
  @Field(() => Float, { description: "Overall-activity target of the period (300 a year; a month: 30)" }) overallTarget: number;
  @Field(() => Float, { description: "Active-space ratio target (0.15)" }) activeRatioTarget: number;
  @Field({ description: "Overall activity and active-space ratio both reach their targets" }) targetMet: boolean;
  @Field(() => Int, { description: "Schools and practice bases below the unit with at least one unlocked teacher" }) schools: number;
  @Field(() => Int, { description: "Of those, schools meeting the school target" }) schoolsMeetingTarget: number;
}

@ObjectType({ description: "A school in a ranking by overall activity" })
export class RankedSchool {
  @Field(() => Int, { description: "1 = highest overall activity; equal means share a rank" }) rank: number;
  @Field(() => ID) schoolId: string;
  @Field() schoolName: string;
  @Field(() => String, { nullable: true }) schoolCode: string | null;
  @Field() kind: string;
  @Field(() => String, { nullable: true }) countyName: string | null;
  @Field(() => String, { nullable: true }) cityName: string | null;
  @Field(() => Int) teachers: number;
  @Field(() => Int) activeTeachers: number;
  @Field(() => Float) activeRatio: number;
  @Field(() => Float) totalPoints: number;
  @Field(() => Float, { description: "Overall activity: mean points of the unlocked teachers" }) meanPoints: number;
  @Field(() => Int) teachersMeetingTarget: number;
  @Field(() => Float) shareMeetingTarget: number;
  @Field() targetMet: boolean;
}

@ObjectType()
export class SchoolRankingPage {
  @Field(() => OrgUnit, { description: "The unit the schools are ranked within" }) scope: OrgUnit;
  @Field() period: string;
  @Field(() => [RankedSchool]) items: RankedSchool[];
  @Field(() => Int) total: number;
}

@ObjectType({ description: "A teacher's points in a period, in a list" })
export class TeacherActivityRow {
  @Field(() => ID) userId: string;
  @Field() account: string;
  @Field() name: string;
  @Field(() => ID) unitId: string;
  @Field() unitName: string;
  @Field(() => Int) points: number;
  @Field(() => Int) mobile: number;
  @Field() active: boolean;
  @Field() targetMet: boolean;
}

@ObjectType()
export class TeacherActivityPage {
  @Field() period: string;
  @Field(() => Int) target: number;
  @Field(() => [TeacherActivityRow]) items: TeacherActivityRow[];
  @Field(() => Int) total: number;
}

@ObjectType({ description: "The periods with activity points in the caller's scope (a teacher or expert: their own account), for choosing a default period" })
export class ActivityPeriods {
  @Field(() => [Int], { description: "Years with points, latest first" }) years: number[];
  @Field(() => String, { nullable: true, description: "The latest month with points, YYYY-MM (null when none)" }) latestMonth: string | null;
}
