import { graphql } from "@/gql";

export const OrgUnitQuery = graphql(`
  query OrgUnit($id: ID!) {
    unit(id: $id) {
      id
      name
      kind
      code
      depth
      childCount
      counts { schools teachers lockedTeachers }
      ancestors { id name kind }
    }
  }
`);

export const OrgTreeChildrenQuery = graphql(`
  query OrgTreeChildren($parentId: ID, $offset: Int!, $limit: Int!) {
    unitChildren(parentId: $parentId, offset: $offset, limit: $limit) {
      total
      items { id name kind code childCount }
    }
  }
`);

export const OrgChildrenTableQuery = graphql(`
  query OrgChildrenTable($parentId: ID, $kind: UnitKind, $offset: Int!, $limit: Int!) {
    unitChildren(parentId: $parentId, kind: $kind, offset: $offset, limit: $limit) {
      total
      items {
        id
        name
        kind
        code
        childCount
        counts { schools teachers lockedTeachers }
      }
    }
  }
`);
