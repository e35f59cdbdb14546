import { graphql } from "@/gql";

export const ResultsPublicationQuery = graphql(`
  query ResultsPublication($campaignId: ID!) {
    resultsPublication(campaignId: $campaignId) { campaignId publishedAt publishedByName }
  }
`);

export const PublishResultsMutation = graphql(`
  mutation PublishResults($campaignId: ID!) {
    publishResults(campaignId: $campaignId) { campaignId publishedAt publishedByName }
  }
`);

export const ExcellentUnitsQuery = graphql(`
  query ExcellentUnits($campaignId: ID!) {
    excellentUnits(campaignId: $campaignId) {
      id
      reason
      createdAt
      updatedAt
      unit { id name code kind ancestors { id name } }
    }
  }
`);

export const ExcellentInstructorsQuery = graphql(`
  query ExcellentInstructors($campaignId: ID!) {
    excellentInstructors(campaignId: $campaignId) {
      id
      userId
      name
      reason
      createdAt
      updatedAt
      unit { id name code kind ancestors { id name } }
    }
  }
`);

export const AddExcellentUnitMutation = graphql(`
  mutation AddExcellentUnit($campaignId: ID!, $unitId: ID!, $reason: String) {
    addExcellentUnit(campaignId: $campaignId, unitId: $unitId, reason: $reason) { id }
  }
`);

export const UpdateExcellentUnitMutation = graphql(`
  mutation UpdateExcellentUnit($id: ID!, $reason: String) {
    updateExcellentUnit(id: $id, reason: $reason) { id reason updatedAt }
  }
`);

export const RemoveExcellentUnitMutation = graphql(`
  mutation RemoveExcellentUnit($id: ID!) {
    removeExcellentUnit(id: $id)
  }
`);

export const AddExcellentInstructorMutation = graphql(`
  mutation AddExcellentInstructor($campaignId: ID!, $input: ExcellentInstructorInput!) {
    addExcellentInstructor(campaignId: $campaignId, input: $input) { id }
  }
`);

export const UpdateExcellentInstructorMutation = graphql(`
  mutation UpdateExcellentInstructor($id: ID!, $input: ExcellentInstructorInput!) {
    updateExcellentInstructor(id: $id, input: $input) { id name reason updatedAt }
  }
`);

export const RemoveExcellentInstructorMutation = graphql(`
  mutation RemoveExcellentInstructor($id: ID!) {
    removeExcellentInstructor(id: $id)
  }
`);

export const PublishedCampaignsQuery = graphql(`
  query PublishedCampaigns {
    publishedCampaigns { campaignId year title docNo publishedAt }
  }
`);

export const PublishedResultsQuery = graphql(`
  query PublishedResults($campaignId: ID!) {
    publishedResults(campaignId: $campaignId) {
      campaignId
      year
      title
      docNo
      issuer
      publishedAt
      entries { applicationId grade categoryCode categoryName title applicantName unitName unitCode cityName countyName }
      excellentUnits { unitName unitCode cityName reason }
      excellentInstructors { name unitName unitCode cityName reason }
    }
  }
`);

/** Open campaigns whose results are not published yet, and when they are due (public). */
export const UpcomingResultsQuery = graphql(`
  query UpcomingResults {
    upcomingResults { campaignId year title stageName expectedBy }
  }
`);
