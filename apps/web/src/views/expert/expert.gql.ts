import { graphql } from "@/gql";

export const MyAssignmentsQuery = graphql(`
  query MyAssignments($campaignId: ID, $progress: ScoreProgressFilter, $offset: Int!, $limit: Int!) {
    myAssignments(campaignId: $campaignId, progress: $progress, offset: $offset, limit: $limit) {
      total
      counts { all submitted draft notStarted }
      items {
        id
        state
        releasedAt
        scoreState
        scoreTotal
        application { id campaignId categoryCode categoryName title state applicantName unitName cityName countyName }
      }
    }
  }
`);

export const ScoreSheetFragment = graphql(`
  fragment ScoreSheetParts on ScoreSheet {
    assignmentId
    application { id campaignId categoryCode categoryName applicantKind title state applicantName unitName cityName countyName }
    form
    photoZip { id originalName contentType size url }
    video { id originalName contentType size url }
    caseDocument { id originalName contentType size url }
    rubricName
    rubricTotal
    groups { id name max }
    lines {
      itemId
      group
      name
      max
      step
      source
      description
      expertConfirms
      computedStatus
      computedValue
      computedDetail
      value
      origin
      editable
    }
    total
    missing
    state
    version
    savedAt
    submittedAt
    history { id kind oldItems oldTotal newItems newTotal reason changedByName changedAt }
  }
`);

export const ScoreSheetQuery = graphql(`
  query ScoreSheet($applicationId: ID!) {
    scoreSheet(applicationId: $applicationId) { ...ScoreSheetParts }
  }
`);

export const SaveScoreMutation = graphql(`
  mutation SaveScore($applicationId: ID!, $scores: [ScoreItemInput!]!, $version: Int!) {
    saveScore(applicationId: $applicationId, scores: $scores, version: $version) { ...ScoreSheetParts }
  }
`);

export const SubmitScoreMutation = graphql(`
  mutation SubmitScore($applicationId: ID!, $scores: [ScoreItemInput!], $version: Int!) {
    submitScore(applicationId: $applicationId, scores: $scores, version: $version) { ...ScoreSheetParts }
  }
`);

export const ChangeSubmittedScoreMutation = graphql(`
  mutation ChangeSubmittedScore($applicationId: ID!, $scores: [ScoreItemInput!]!, $reason: String!, $version: Int!) {
    changeSubmittedScore(applicationId: $applicationId, scores: $scores, reason: $reason, version: $version) { ...ScoreSheetParts }
  }
`);
