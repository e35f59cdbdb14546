import { graphql } from "@/gql";

export const CampaignConfigFragment = graphql(`
  fragment CampaignConfig on Campaign {
    id
    year
    title
    docNo
    issuer
    issuedOn
    status
    levels
    caseMinChars
    caseMaxChars
    spaceUrlHosts
    finalization
    categories { code name applicantKind criteria quota rubric }
    stages {
      stage
      name
      deadline
      effectiveDeadline
      open
      unitDeadlines { unitId deadline unit { id name } }
    }
    extensions { id stage unitId unit { id name } until reason createdAt }
    createdAt
    updatedAt
  }
`);

export const ProvinceCampaignsQuery = graphql(`
  query ProvinceCampaigns {
    campaigns {
      id
      year
      title
      docNo
      issuer
      status
      categories { code name }
      stages { stage name deadline }
      createdAt
      updatedAt
    }
  }
`);

export const CampaignConfigQuery = graphql(`
  query CampaignConfigDetail($id: ID!) {
    campaign(id: $id) { ...CampaignConfig }
  }
`);

export const CreateCampaignMutation = graphql(`
  mutation CreateCampaign($input: CampaignInput!) {
    createCampaign(input: $input) { id }
  }
`);

export const UpdateCampaignMutation = graphql(`
  mutation UpdateCampaign($id: ID!, $input: CampaignInput!) {
    updateCampaign(id: $id, input: $input) { ...CampaignConfig }
  }
`);

export const CopyCampaignMutation = graphql(`
  mutation CopyCampaign($sourceId: ID!, $year: Int!, $title: String!, $docNo: String!, $issuedOn: String) {
    copyCampaign(sourceId: $sourceId, year: $year, title: $title, docNo: $docNo, issuedOn: $issuedOn) { id }
  }
`);

export const OpenCampaignMutation = graphql(`
  mutation OpenCampaign($id: ID!) {
    openCampaign(id: $id) { id status }
  }
`);

export const CloseCampaignMutation = graphql(`
  mutation CloseCampaign($id: ID!) {
    closeCampaign(id: $id) { id status }
  }
`);

export const ExtendDeadlineMutation = graphql(`
  mutation ExtendDeadline($campaignId: ID!, $stage: StageCode!, $until: String!, $reason: String!, $unitId: ID) {
    extendDeadline(campaignId: $campaignId, stage: $stage, until: $until, reason: $reason, unitId: $unitId) { id }
  }
`);

export const SendDeadlineRemindersMutation = graphql(`
  mutation SendDeadlineReminders($campaignId: ID!, $withinDays: Int!) {
    sendDeadlineReminders(campaignId: $campaignId, withinDays: $withinDays)
  }
`);

export const ProvinceCitiesQuery = graphql(`
  query ProvinceCities($provinceId: ID!) {
    unitChildren(parentId: $provinceId, kind: CITY, offset: 0, limit: 50) {
      items { id name code }
    }
  }
`);

export const CampaignOpeningWarningsQuery = graphql(`
  query CampaignOpeningWarnings($id: ID!) {
    campaignOpeningWarnings(id: $id) { code message }
  }
`);

export const UpdateCampaignStagesMutation = graphql(`
  mutation UpdateCampaignStages($id: ID!, $stages: [StageDateInput!]!) {
    updateCampaignStages(id: $id, stages: $stages) { ...CampaignConfig }
  }
`);
