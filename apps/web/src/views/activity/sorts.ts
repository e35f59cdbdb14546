import type { LedgerSortField, SchoolRankingSortField, TeacherActivitySortField } from "@/gql/graphql";

/** The sort keys the server takes for each list (column `prop`s of the sortable columns). */
export const SCHOOL_SORT_FIELDS: readonly SchoolRankingSortField[] = [
  "rank", "meanPoints", "name", "teachers", "activeTeachers", "activeRatio", "totalPoints", "shareMeetingTarget",
];
export const TEACHER_SORT_FIELDS: readonly TeacherActivitySortField[] = ["points", "mobile", "name", "account", "school"];
export const LEDGER_SORT_FIELDS: readonly LedgerSortField[] = ["time", "points", "rule"];

/** Header clicks on names and ranks: ascending first; on amounts: largest first. Never "unsorted". */
export const UP_FIRST = ["ascending", "descending"] as ("ascending" | "descending" | null)[];
export const DOWN_FIRST = ["descending", "ascending"] as ("ascending" | "descending" | null)[];
