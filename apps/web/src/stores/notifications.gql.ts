import { graphql } from "@/gql";

export const NotificationsQuery = graphql(`
  query Notifications($offset: Int!, $limit: Int!, $unreadOnly: Boolean!) {
    notifications(offset: $offset, limit: $limit, unreadOnly: $unreadOnly) {
      total
      unread
      items { id kind title body campaignId applicationId createdAt readAt }
    }
  }
`);

export const UnreadCountQuery = graphql(`
  query UnreadNotifications {
    notifications(offset: 0, limit: 1, unreadOnly: true) { unread }
  }
`);

export const MarkReadMutation = graphql(`
  mutation MarkNotificationsRead($ids: [ID!]) {
    markNotificationsRead(ids: $ids)
  }
`);
