import { graphql } from "@/gql";

/** A teacher's year: totals, targets, the twelve months and the nine rules. */
export const TeacherActivityPartsFragment = graphql(`
  fragment TeacherActivityParts on TeacherActivity {
    account
    userId
    name
    unitName
    locked
    year
    total
    mobile
    mobileShare
    monthTarget
    yearTarget
    yearTargetMet
    active
    rules { rule label points }
    months { month points mobile active targetMet }
  }
`);

export const LedgerPartsFragment = graphql(`
  fragment LedgerParts on ActivityLedgerPage {
    total
    items { seq day rule ruleLabel points mobile eventId eventType eventAt }
  }
`);

export const MyActivityQuery = graphql(`
  query MyActivity($year: Int!) {
    myActivity(year: $year) { ...TeacherActivityParts }
  }
`);

export const MyLedgerQuery = graphql(`
  query MyLedger($year: Int!, $month: String, $offset: Int!, $limit: Int!, $sort: LedgerSortField!, $desc: Boolean!) {
    myActivity(year: $year) {
      account
      ledger(month: $month, offset: $offset, limit: $limit, sort: $sort, desc: $desc) { ...LedgerParts }
    }
  }
`);

export const TeacherActivityQuery = graphql(`
  query TeacherActivity($userId: ID!, $year: Int!) {
    teacherActivity(userId: $userId, year: $year) { ...TeacherActivityParts }
  }
`);

export const TeacherLedgerQuery = graphql(`
  query TeacherLedger($userId: ID!, $year: Int!, $month: String, $offset: Int!, $limit: Int!, $sort: LedgerSortField!, $desc: Boolean!) {
    teacherActivity(userId: $userId, year: $year) {
      account
      ledger(month: $month, offset: $offset, limit: $limit, sort: $sort, desc: $desc) { ...LedgerParts }
    }
  }
`);

export const UnitActivityPartsFragment = graphql(`
  fragment UnitActivityParts on UnitActivity {
    period
    teachers
    lockedTeachers
    activeTeachers
    activeRatio
    totalPoints
    meanPoints
    mobilePoints
    mobileShare
    teachersMeetingTarget
    shareMeetingTarget
    teacherTarget
    overallTarget
    activeRatioTarget
    targetMet
    schools
    schoolsMeetingTarget
  }
`);

/** The dashboard of one unit: its own figures and one row per child unit. */
export const UnitDashboardQuery = graphql(`
  query UnitDashboard($unitId: ID, $period: String!) {
    unitActivity(unitId: $unitId, period: $period) {
      ...UnitActivityParts
      unit { id name kind code childCount ancestors { id name kind } }
    }
    childUnitsActivity(unitId: $unitId, period: $period) {
      ...UnitActivityParts
      unit { id name kind code }
    }
  }
`);

export const TrendPartsFragment = graphql(`
  fragment TrendParts on UnitActivity {
    period
    activeRatio
    meanPoints
    shareMeetingTarget
    overallTarget
  }
`);

/** The twelve months of a year in one request (one alias per month). */
export const UnitTrendQuery = graphql(`
  query UnitTrend(
    $unitId: ID
    $m01: String!
    $m02: String!
    $m03: String!
    $m04: String!
    $m05: String!
    $m06: String!
    $m07: String!
    $m08: String!
    $m09: String!
    $m10: String!
    $m11: String!
    $m12: String!
  ) {
    m01: unitActivity(unitId: $unitId, period: $m01) { ...TrendParts }
    m02: unitActivity(unitId: $unitId, period: $m02) { ...TrendParts }
    m03: unitActivity(unitId: $unitId, period: $m03) { ...TrendParts }
    m04: unitActivity(unitId: $unitId, period: $m04) { ...TrendParts }
    m05: unitActivity(unitId: $unitId, period: $m05) { ...TrendParts }
    m06: unitActivity(unitId: $unitId, period: $m06) { ...TrendParts }
    m07: unitActivity(unitId: $unitId, period: $m07) { ...TrendParts }
    m08: unitActivity(unitId: $unitId, period: $m08) { ...TrendParts }
    m09: unitActivity(unitId: $unitId, period: $m09) { ...TrendParts }
    m10: unitActivity(unitId: $unitId, period: $m10) { ...TrendParts }
    m11: unitActivity(unitId: $unitId, period: $m11) { ...TrendParts }
    m12: unitActivity(unitId: $unitId, period: $m12) { ...TrendParts }
  }
`);

export const RankedSchoolPartsFragment = graphql(`
  fragment RankedSchoolParts on RankedSchool {
    rank
    schoolId
    schoolName
    schoolCode
    kind
    countyName
    cityName
    teachers
    activeTeachers
    activeRatio
    totalPoints
    meanPoints
    teachersMeetingTarget
    shareMeetingTarget
    targetMet
  }
`);

export const SchoolRankingQuery = graphql(`
  query SchoolRanking($scopeUnitId: ID, $period: String!, $offset: Int!, $limit: Int!, $sort: SchoolRankingSortField, $desc: Boolean) {
    schoolRanking(scopeUnitId: $scopeUnitId, period: $period, offset: $offset, limit: $limit, sort: $sort, desc: $desc) {
      scope { id name kind }
      period
      total
      items { ...RankedSchoolParts }
    }
  }
`);

export const BelowTargetSchoolsQuery = graphql(`
  query BelowTargetSchools($unitId: ID, $period: String!, $offset: Int!, $limit: Int!, $sort: SchoolRankingSortField!, $desc: Boolean!) {
    belowTargetSchools(unitId: $unitId, period: $period, offset: $offset, limit: $limit, sort: $sort, desc: $desc) {
      scope { id name kind }
      period
      total
      items { ...RankedSchoolParts }
    }
  }
`);

export const TeacherRowPartsFragment = graphql(`
  fragment TeacherRowParts on TeacherActivityPage {
    period
    target
    total
    items { userId account name unitId unitName points mobile active targetMet }
  }
`);

export const TeachersActivityQuery = graphql(`
  query TeachersActivity($unitId: ID, $period: String!, $offset: Int!, $limit: Int!, $sort: TeacherActivitySortField!, $desc: Boolean!) {
    teacherActivityPage(unitId: $unitId, period: $period, offset: $offset, limit: $limit, sort: $sort, desc: $desc) { ...TeacherRowParts }
  }
`);

export const BelowTargetTeachersQuery = graphql(`
  query BelowTargetTeachers($unitId: ID, $period: String!, $offset: Int!, $limit: Int!, $sort: TeacherActivitySortField!, $desc: Boolean!) {
    belowTargetTeachers(unitId: $unitId, period: $period, offset: $offset, limit: $limit, sort: $sort, desc: $desc) { ...TeacherRowParts }
  }
`);

/** A unit's own figures and targets (the summary line of the ranking and below-target pages). */
export const UnitSummaryQuery = graphql(`
  query UnitSummary($unitId: ID, $period: String!) {
    unitActivity(unitId: $unitId, period: $period) {
      ...UnitActivityParts
      unit { id name kind code ancestors { id name kind } }
    }
  }
`);

/** Years and the latest month with points (a teacher: their own; an admin: the unit's), for default periods. */
export const ActivityPeriodsQuery = graphql(`
  query ActivityPeriods($unitId: ID) {
    activityPeriods(unitId: $unitId) { years latestMonth }
  }
`);
