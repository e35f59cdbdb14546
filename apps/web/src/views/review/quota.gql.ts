import { graphql } from "@/gql";

export const SetCountySubQuotasMutation = graphql(`
  mutation SetCountySubQuotas($campaignId: ID!, $categoryCode: String!, $allocations: [SubQuotaInput!]!) {
    setCountySubQuotas(campaignId: $campaignId, categoryCode: $categoryCode, allocations: $allocations) { key cap used }
  }
`);

export const OverrideQuotaMutation = graphql(`
  mutation OverrideQuota($campaignId: ID!, $bucketKey: String!, $cap: Int!, $reason: String!) {
    overrideQuota(campaignId: $campaignId, bucketKey: $bucketKey, cap: $cap, reason: $reason) { key cap baseCap used remaining }
  }
`);

export const CountiesQuery = graphql(`
  query Counties($parentId: ID) {
    unitChildren(parentId: $parentId, kind: COUNTY, offset: 0, limit: 200) {
      items { id name code }
    }
  }
`);
