import { graphql } from "@/gql";

export const CampaignsQuery = graphql(`
  query Campaigns {
    campaigns {
      id
      year
      title
      docNo
      status
      levels
      caseMinChars
      caseMaxChars
      spaceUrlHosts
      categories { code name applicantKind criteria quota }
      stages { stage name deadline effectiveDeadline open }
    }
  }
`);
