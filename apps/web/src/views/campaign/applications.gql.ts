import { graphql } from "@/gql";

export const ApplicationRowFragment = graphql(`
  fragment ApplicationRow on Application {
    id
    title
    categoryCode
    categoryName
    applicantKind
    applicant { id name account }
    applicantUnit { id name }
    county { id name }
    city { id name }
    state
    stateLabel
    currentLevel
    revision
    version
    grade
    updatedAt
    firstSubmittedAt
    lastActionAt
  }
`);

export const MyApplicationsQuery = graphql(`
  query MyApplications($campaignId: ID!, $sort: ApplicationSortField!, $desc: Boolean!, $offset: Int!, $limit: Int!) {
    applications(campaignId: $campaignId, mine: true, sort: $sort, desc: $desc, offset: $offset, limit: $limit) {
      total
      items { ...ApplicationRow allowedActions }
    }
  }
`);

export const ApplicationsQuery = graphql(`
  query Applications(
    $campaignId: ID!
    $categoryCode: String
    $states: [ApplicationState!]
    $currentLevel: ReviewLevel
    $unitId: ID
    $search: String
    $sort: ApplicationSortField!
    $desc: Boolean!
    $offset: Int!
    $limit: Int!
  ) {
    applications(
      campaignId: $campaignId
      categoryCode: $categoryCode
      states: $states
      currentLevel: $currentLevel
      unitId: $unitId
      search: $search
      sort: $sort
      desc: $desc
      offset: $offset
      limit: $limit
    ) {
      total
      items { ...ApplicationRow }
    }
  }
`);

export const ReviewQueueQuery = graphql(`
  query ReviewQueue($campaignId: ID!, $categoryCode: String, $sort: ApplicationSortField!, $desc: Boolean!, $offset: Int!, $limit: Int!) {
    reviewQueue(campaignId: $campaignId, categoryCode: $categoryCode, sort: $sort, desc: $desc, offset: $offset, limit: $limit) {
      total
      items { ...ApplicationRow }
    }
  }
`);

/**
 * An application's neighbours in the review queue (same filter and order): the rows at offset − 1,
 * offset and offset + 1, one row each, never the whole queue. The row at `offset` tells whether
 * the open application is still there.
 */
export const ReviewQueueNeighboursQuery = graphql(`
  query ReviewQueueNeighbours(
    $campaignId: ID!
    $categoryCode: String
    $sort: ApplicationSortField!
    $desc: Boolean!
    $hasPrev: Boolean!
    $prevOffset: Int!
    $offset: Int!
    $nextOffset: Int!
  ) {
    prev: reviewQueue(campaignId: $campaignId, categoryCode: $categoryCode, sort: $sort, desc: $desc, offset: $prevOffset, limit: 1) @include(if: $hasPrev) {
      items { id title }
    }
    here: reviewQueue(campaignId: $campaignId, categoryCode: $categoryCode, sort: $sort, desc: $desc, offset: $offset, limit: 1) {
      total
      items { id title }
    }
    next: reviewQueue(campaignId: $campaignId, categoryCode: $categoryCode, sort: $sort, desc: $desc, offset: $nextOffset, limit: 1) {
      items { id title }
    }
  }
`);

export const FormPartsFragment = graphql(`
  fragment FormParts on ApplicationFormView {
    county
    stage
    unitName
    personInCharge
    jobTitle
    mobile
    categoryCode
    spaceUrl
    case { title byline summary background process results features reflection }
    caseCharacters
    newsLinks
    photoZipFileId
    videoFileId
    photoZip { id originalName size url }
    video { id originalName size url }
    caseDocumentFileId
    caseDocument { id originalName size url }
  }
`);

export const ActionPartsFragment = graphql(`
  fragment ActionParts on ReviewAction {
    id
    revision
    action
    actionLabel
    fromState
    toState
    fromLevel
    toLevel
    level
    actor { id name account }
    actorRoleLabel
    actorUnit { id name }
    comment
    grade
    at
  }
`);

export const ApplicationDetailQuery = graphql(`
  query ApplicationDetail($id: ID!) {
    application(id: $id) {
      ...ApplicationRow
      campaignId
      countyField { required label }
      levels
      createdAt
      form { ...FormParts }
      history { ...ActionParts }
      revisions {
        revision
        submittedAt
        submittedBy { id name }
        actions { ...ActionParts }
      }
      allowedActions
      quotaPlaces { bucketKey level revision takenAt releasedAt }
      consents { revision version acceptedAt acceptedBy { id name } }
    }
  }
`);

export const ApplicationCriteriaQuery = graphql(`
  query ApplicationCriteria($id: ID!) {
    application(id: $id) {
      id
      criteria {
        id
        text
        status
        statusLabel
        detail
        reference
        parts { status statusLabel detail parts { status statusLabel detail } }
      }
    }
  }
`);

export const ApplicationDiffQuery = graphql(`
  query ApplicationDiff($id: ID!, $fromRevision: Int, $toRevision: Int) {
    applicationDiff(id: $id, fromRevision: $fromRevision, toRevision: $toRevision) { field label before after }
  }
`);

export const CreateApplicationMutation = graphql(`
  mutation CreateApplication($campaignId: ID!, $categoryCode: String!) {
    createApplication(campaignId: $campaignId, categoryCode: $categoryCode) { id }
  }
`);

export const SaveDraftMutation = graphql(`
  mutation SaveApplicationDraft($id: ID!, $version: Int!, $form: ApplicationFormInput!) {
    saveApplicationDraft(id: $id, version: $version, form: $form) {
      id
      version
      title
      updatedAt
      form { ...FormParts }
    }
  }
`);

export const SubmitApplicationMutation = graphql(`
  mutation SubmitApplication($id: ID!, $version: Int!, $consentVersion: String!) {
    submitApplication(id: $id, version: $version, consentVersion: $consentVersion) { id state stateLabel version revision }
  }
`);

export const ResubmitApplicationMutation = graphql(`
  mutation ResubmitApplication($id: ID!, $version: Int!, $consentVersion: String!) {
    resubmitApplication(id: $id, version: $version, consentVersion: $consentVersion) { id state stateLabel version revision }
  }
`);

export const WithdrawApplicationMutation = graphql(`
  mutation WithdrawApplication($id: ID!, $version: Int!, $comment: String) {
    withdrawApplication(id: $id, version: $version, comment: $comment) { id state stateLabel version revision }
  }
`);

export const RecommendMutation = graphql(`
  mutation RecommendApplication($id: ID!, $version: Int!, $revision: Int, $comment: String) {
    recommendApplication(id: $id, version: $version, revision: $revision, comment: $comment) { id state stateLabel version }
  }
`);

export const ReturnMutation = graphql(`
  mutation ReturnApplication($id: ID!, $version: Int!, $revision: Int, $comment: String!) {
    returnApplication(id: $id, version: $version, revision: $revision, comment: $comment) { id state stateLabel version }
  }
`);

export const RejectMutation = graphql(`
  mutation RejectApplication($id: ID!, $version: Int!, $revision: Int, $reason: String!) {
    rejectApplication(id: $id, version: $version, revision: $revision, reason: $reason) { id state stateLabel version }
  }
`);

export const WithdrawRecommendationMutation = graphql(`
  mutation WithdrawRecommendation($id: ID!, $version: Int!, $revision: Int, $comment: String) {
    withdrawRecommendation(id: $id, version: $version, revision: $revision, comment: $comment) { id state stateLabel version }
  }
`);

export const DisqualifyMutation = graphql(`
  mutation DisqualifyApplication($id: ID!, $version: Int!, $revision: Int, $reason: String!) {
    disqualifyApplication(id: $id, version: $version, revision: $revision, reason: $reason) { id state stateLabel version }
  }
`);

export const QuotasQuery = graphql(`
  query Quotas($campaignId: ID!, $unitId: ID, $categoryCode: String) {
    quotas(campaignId: $campaignId, unitId: $unitId, categoryCode: $categoryCode) {
      key
      categoryCode
      level
      scope
      description
      unitId
      unitName
      unitCode
      countyId
      countyName
      baseCap
      cap
      used
      remaining
    }
  }
`);

/** Every violation of the submission rules in the working copy, as submit would check it (nothing is saved). */
export const ApplicationFormCheckQuery = graphql(`
  query ApplicationFormCheck($id: ID!, $form: ApplicationFormInput!) {
    applicationFormCheck(id: $id, form: $form) { field rule message }
  }
`);

/** The categories the acting role may still apply for in a campaign, and the server's reason for each of the others. */
export const CategoryEligibilityQuery = graphql(`
  query CategoryEligibility($id: ID!) {
    campaign(id: $id) {
      id
      categoryEligibility { code name applicantKind eligible reason }
    }
  }
`);
