import { graphql } from "@/gql";

export const ClubRegistrationsQuery = graphql(`
  query ClubRegistrations($campaignId: ID!, $offset: Int!, $limit: Int!) {
    clubRegistrations(campaignId: $campaignId, offset: $offset, limit: $limit) {
      total
      items {
        id
        unit { id name kind }
        state
        version
        updatedAt
        submittedAt
        form { theme direction directionOther leaderName stage unitName }
      }
    }
  }
`);

export const ClubRegistrationQuery = graphql(`
  query ClubRegistration($id: ID!) {
    clubRegistration(id: $id) {
      id
      campaignId
      unit { id name kind }
      state
      version
      updatedAt
      submittedAt
      form {
        region
        stage
        unitName
        leaderName
        leaderPhone
        adminName
        adminPhone
        members { name unit title task }
        direction
        directionOther
        plan { time audience content schedule measures }
        theme
        schedule
        lessons { no title lecturer unit mobile }
        stampedScan { id originalName size url }
      }
    }
  }
`);

export const CreateClubRegistrationMutation = graphql(`
  mutation CreateClubRegistration($campaignId: ID!) {
    createClubRegistration(campaignId: $campaignId) { id }
  }
`);

export const SaveClubRegistrationMutation = graphql(`
  mutation SaveClubRegistration($id: ID!, $version: Int!, $form: ClubRegistrationInput!) {
    saveClubRegistration(id: $id, version: $version, form: $form) { id version state updatedAt }
  }
`);

export const SubmitClubRegistrationMutation = graphql(`
  mutation SubmitClubRegistration($id: ID!, $version: Int!) {
    submitClubRegistration(id: $id, version: $version) { id version state submittedAt }
  }
`);
