import { graphql } from "@/gql";

export const HomeCountQuery = graphql(`
  query HomeCount($campaignId: ID!, $states: [ApplicationState!], $mine: Boolean) {
    applications(campaignId: $campaignId, states: $states, mine: $mine, offset: 0, limit: 1) { total }
  }
`);

export const HomeQueueQuery = graphql(`
  query HomeQueue($campaignId: ID!) {
    reviewQueue(campaignId: $campaignId, offset: 0, limit: 1) { total }
  }
`);

export const HomeExpertQuery = graphql(`
  query HomeExpert {
    myAssignments(offset: 0, limit: 200) { total items { scoreState } }
  }
`);
