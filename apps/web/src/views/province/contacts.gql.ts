import { graphql } from "@/gql";

export const RegionalContactsQuery = graphql(`
  query RegionalContacts($campaignId: ID!, $state: ContactState, $offset: Int!, $limit: Int!) {
    regionalContacts(campaignId: $campaignId, state: $state, offset: $offset, limit: $limit) {
      total
      items {
        id
        kind
        kindLabel
        unitId
        unit { id name kind code }
        contactName
        cityCode
        unitName
        jobTitle
        officePhone
        mobile
        platformAccount
        postalAddress
        note
        stampedScan { id originalName size url }
        state
        version
        submittedBy { id name account }
        submittedAt
        reviewedAt
        reviewComment
      }
    }
  }
`);

export const ApproveRegionalContactMutation = graphql(`
  mutation ApproveRegionalContact($id: ID!, $version: Int!) {
    approveRegionalContact(id: $id, version: $version) { id state version reviewedAt }
  }
`);

export const RejectRegionalContactMutation = graphql(`
  mutation RejectRegionalContact($id: ID!, $version: Int!, $reason: String!) {
    rejectRegionalContact(id: $id, version: $version, reason: $reason) { id state version reviewedAt reviewComment }
  }
`);
