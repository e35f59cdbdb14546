import { graphql } from "@/gql";

export const MePartsFragment = graphql(`
  fragment MeParts on Me {
    id
    account
    name
    homeUnit { id name kind code ancestors { id name kind } }
    roles { id role roleLabel unit { id name kind code } }
    actingRole { id role roleLabel unit { id name kind code } }
    permissions
  }
`);

export const MeQuery = graphql(`
  query Me {
    me { ...MeParts }
  }
`);

export const LoginMutation = graphql(`
  mutation Login($account: String!, $password: String!) {
    login(account: $account, password: $password) { me { id } }
  }
`);

export const LogoutMutation = graphql(`
  mutation Logout { logout }
`);

export const SwitchRoleMutation = graphql(`
  mutation SwitchRole($assignmentId: ID!) {
    switchRole(assignmentId: $assignmentId) { ...MeParts }
  }
`);

export const ChangePasswordMutation = graphql(`
  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {
    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)
  }
`);
