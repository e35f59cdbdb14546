import { graphql } from "@/gql";

export const SearchUnitsQuery = graphql(`
  query SearchUnits($query: String!, $kinds: [UnitKind!], $limit: Int!) {
    searchUnits(query: $query, kinds: $kinds, limit: $limit) {
      id
      name
      kind
      code
      ancestors { id name }
    }
  }
`);
