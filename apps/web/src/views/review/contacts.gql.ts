import { graphql } from "@/gql";

export const MyRegionalContactsQuery = graphql(`
  query MyRegionalContacts($campaignId: ID!, $state: ContactState, $offset: Int!, $limit: Int!) {
    regionalContacts(campaignId: $campaignId, state: $state, offset: $offset, limit: $limit) {
      total
      items {
        id
        kind
        kindLabel
        unitId
        unit { id name kind }
        contactName
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
        submittedBy { id name }
        submittedAt
        reviewedAt
        reviewComment
      }
    }
  }
`);

export const SaveRegionalContactMutation = graphql(`
  mutation SaveRegionalContact($campaignId: ID!, $input: RegionalContactInput!, $id: ID, $version: Int) {
    saveRegionalContact(campaignId: $campaignId, input: $input, id: $id, version: $version) { id state version }
  }
`);
