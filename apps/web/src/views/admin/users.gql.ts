import { graphql } from "@/gql";

export const UsersQuery = graphql(`
  query Users(
    $unitId: ID
    $search: String
    $locked: Boolean
    $role: Role
    $sort: UserSortField!
    $desc: Boolean!
    $offset: Int!
    $limit: Int!
  ) {
    users(unitId: $unitId, search: $search, locked: $locked, role: $role, sort: $sort, desc: $desc, offset: $offset, limit: $limit) {
      total
      items {
        id
        account
        name
        phone
        subject
        stage
        locked
        lockedReason
        lockedAt
        hasPassword
        homeUnit { id name }
        roles { id role roleLabel unit { id name } }
      }
    }
  }
`);

export const LockUserMutation = graphql(`
  mutation LockUser($userId: ID!, $reason: String!) {
    lockUser(userId: $userId, reason: $reason) { id locked lockedReason lockedAt }
  }
`);

export const UnlockUserMutation = graphql(`
  mutation UnlockUser($userId: ID!) {
    unlockUser(userId: $userId) { id locked lockedReason lockedAt }
  }
`);

export const ResetPasswordMutation = graphql(`
  mutation ResetPassword($userId: ID!, $newPassword: String!) {
    resetPassword(userId: $userId, newPassword: $newPassword)
  }
`);

export const GrantRoleMutation = graphql(`
  mutation GrantRole($userId: ID!, $role: Role!, $unitId: ID!) {
    grantRole(userId: $userId, role: $role, unitId: $unitId) { id role roleLabel unit { id name } }
  }
`);

export const RevokeRoleMutation = graphql(`
  mutation RevokeRole($assignmentId: ID!) {
    revokeRole(assignmentId: $assignmentId)
  }
`);

export const RoleAssignmentsQuery = graphql(`
  query RoleAssignments($unitId: ID, $role: Role, $offset: Int!, $limit: Int!) {
    roleAssignments(unitId: $unitId, role: $role, offset: $offset, limit: $limit) {
      total
      items {
        id
        role
        roleLabel
        userId
        grantedAt
        unit { id name kind code ancestors { id name } }
        holder { id account name locked }
      }
    }
  }
`);
