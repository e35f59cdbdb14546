import { graphql } from "@/gql";

export const ImportJobPartsFragment = graphql(`
  fragment ImportJobParts on ImportJob {
    id
    state
    phase
    mode
    fileName
    format
    progress
    processed
    total
    refused
    rows
    validRows
    created
    updated
    unchanged
    schoolsCreated
    schoolsRenamed
    errorCount
    errorRowCount
    storedErrorCount
    error
    createdAt
    finishedAt
  }
`);

/** One import with a page of its row errors (polled while it runs). */
export const ImportJobQuery = graphql(`
  query ImportJob($id: ID!, $offset: Int!, $limit: Int!) {
    importJob(id: $id) {
      ...ImportJobParts
      errors(offset: $offset, limit: $limit) { row field column message }
    }
  }
`);

export const ImportJobsQuery = graphql(`
  query ImportJobs($limit: Int!) {
    importJobs(limit: $limit) { ...ImportJobParts }
  }
`);
