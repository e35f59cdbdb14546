import { graphql } from "@/gql";

export const FinalizationApplicationFragment = graphql(`
  fragment FinalizationApplicationParts on FinalizationApplication {
    id
    campaignId
    categoryCode
    categoryName
    applicantKind
    title
    state
    grade
    applicantName
    unitName
    unitCode
    cityName
    countyName
  }
`);

export const ExpertProfileFragment = graphql(`
  fragment ExpertProfileParts on ExpertProfile {
    id
    account
    name
    unitName
    cityName
    locked
    load
  }
`);

export const AssignmentFragment = graphql(`
  fragment AssignmentParts on ExpertAssignment {
    id
    state
    origin
    createdAt
    releasedAt
    scoreState
    scoreTotal
    application { ...FinalizationApplicationParts }
    expert { ...ExpertProfileParts }
  }
`);

export const ExpertPoolQuery = graphql(`
  query ExpertPool($campaignId: ID!) {
    expertPool(campaignId: $campaignId) { ...ExpertProfileParts }
  }
`);

export const ExpertAssignmentsQuery = graphql(`
  query ExpertAssignments(
    $campaignId: ID!
    $categoryCode: String
    $applicationId: ID
    $expertId: ID
    $state: ExpertAssignmentState
    $offset: Int!
    $limit: Int!
  ) {
    expertAssignments(
      campaignId: $campaignId
      categoryCode: $categoryCode
      applicationId: $applicationId
      expertId: $expertId
      state: $state
      offset: $offset
      limit: $limit
    ) {
      total
      items { ...AssignmentParts }
    }
  }
`);

export const AutoAssignExpertsMutation = graphql(`
  mutation AutoAssignExperts($campaignId: ID!, $categoryCode: String, $expertsPerApplication: Int) {
    autoAssignExperts(campaignId: $campaignId, categoryCode: $categoryCode, expertsPerApplication: $expertsPerApplication) {
      expertsPerApplication
      applications
      created
      kept
      removed
      unfilled { missing application { ...FinalizationApplicationParts } }
      loads { load expert { ...ExpertProfileParts } }
    }
  }
`);

export const AssignExpertMutation = graphql(`
  mutation AssignExpert($applicationId: ID!, $expertId: ID!) {
    assignExpert(applicationId: $applicationId, expertId: $expertId) { ...AssignmentParts }
  }
`);

export const UnassignExpertMutation = graphql(`
  mutation UnassignExpert($assignmentId: ID!, $reason: String) {
    unassignExpert(assignmentId: $assignmentId, reason: $reason)
  }
`);

export const ReleaseAssignmentsMutation = graphql(`
  mutation ReleaseAssignments($campaignId: ID!, $categoryCode: String) {
    releaseAssignments(campaignId: $campaignId, categoryCode: $categoryCode)
  }
`);

export const ProgressRowFragment = graphql(`
  fragment ProgressRowParts on ScoringProgressRow {
    application { ...FinalizationApplicationParts }
    assigned
    released
    submitted
    scores
    score
    spread
    flagged
    spreadReviewed
  }
`);

export const ScoringProgressQuery = graphql(`
  query ScoringProgress($campaignId: ID!, $categoryCode: String, $flagged: Boolean, $offset: Int!, $limit: Int!) {
    scoringProgress(campaignId: $campaignId, categoryCode: $categoryCode, flagged: $flagged, offset: $offset, limit: $limit) {
      total
      spreadThreshold
      items { ...ProgressRowParts }
    }
  }
`);

export const ScoreChangeFragment = graphql(`
  fragment ScoreChangeParts on ExpertScoreChange {
    id
    kind
    oldItems
    oldTotal
    newItems
    newTotal
    reason
    changedByName
    changedAt
  }
`);

export const ExpertScoresQuery = graphql(`
  query ExpertScores($applicationId: ID!) {
    expertScores(applicationId: $applicationId) {
      assignmentId
      assignmentState
      state
      items
      total
      submittedAt
      expert { ...ExpertProfileParts }
      history { ...ScoreChangeParts }
    }
  }
`);

export const ReviewSpreadMutation = graphql(`
  mutation ReviewSpread($applicationId: ID!, $note: String!) {
    reviewSpread(applicationId: $applicationId, note: $note) { ...ProgressRowParts }
  }
`);

export const SchemeFragment = graphql(`
  fragment SchemeParts on GradingSchemeView {
    mode
    rounding
    bands { grade proportion minScore }
  }
`);

export const RankingEntryFragment = graphql(`
  fragment RankingEntryParts on RankingEntry {
    rank
    score
    expertCount
    spread
    flagged
    grade
    application { ...FinalizationApplicationParts }
  }
`);

export const RankingQuery = graphql(`
  query Ranking($campaignId: ID!, $categoryCode: String!, $offset: Int!, $limit: Int!) {
    categoryRanking(campaignId: $campaignId, categoryCode: $categoryCode, offset: $offset, limit: $limit) {
      total
      unscored
      scheme { ...SchemeParts }
      finalization { state previewedAt finalizedAt }
      items { ...RankingEntryParts }
    }
  }
`);

export const CategoryFinalizationQuery = graphql(`
  query CategoryFinalization($campaignId: ID!, $categoryCode: String!) {
    categoryFinalization(campaignId: $campaignId, categoryCode: $categoryCode, offset: 0, limit: 1) {
      state
      total
      previewedAt
      finalizedAt
      counts { grade count }
    }
  }
`);

export const SetGradingSchemeMutation = graphql(`
  mutation SetGradingScheme($campaignId: ID!, $grading: GradingSchemeInput!) {
    setGradingScheme(campaignId: $campaignId, grading: $grading) { ...SchemeParts }
  }
`);

export const ApplyGradesMutation = graphql(`
  mutation ApplyGrades($campaignId: ID!, $categoryCode: String!) {
    applyGrades(campaignId: $campaignId, categoryCode: $categoryCode, offset: 0, limit: 1) {
      state
      total
      counts { grade count }
    }
  }
`);

export const FinalizeCategoryMutation = graphql(`
  mutation FinalizeCampaignCategory($campaignId: ID!, $categoryCode: String!) {
    finalizeCampaignCategory(campaignId: $campaignId, categoryCode: $categoryCode, offset: 0, limit: 1) {
      state
      total
      finalizedAt
      counts { grade count }
    }
  }
`);

export const FinalizationSettingsQuery = graphql(`
  query FinalizationSettings($id: ID!) {
    campaign(id: $id) { id status finalization }
  }
`);

export const CampaignRubricsQuery = graphql(`
  query CampaignRubrics($id: ID!) {
    campaign(id: $id) { id categories { code rubric } }
  }
`);

/** Notifies the experts who have not submitted their score of an application (once a day each); answers how many were reminded now. */
export const RemindExpertsMutation = graphql(`
  mutation RemindExperts($applicationId: ID!) {
    remindExperts(applicationId: $applicationId)
  }
`);
