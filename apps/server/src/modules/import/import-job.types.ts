import { Field, Float, ID, Int, ObjectType, registerEnumType } from "type-graphql";

export enum ImportJobState {
  QUEUED = "QUEUED",
  RUNNING = "RUNNING",
  DONE = "DONE",
  FAILED = "FAILED",
}
registerEnumType(ImportJobState, { name: "ImportJobState", description: "DONE also covers a file refused for bad rows (see `refused`)" });

export enum ImportMode {
  ALL = "ALL",
  VALID_ONLY = "VALID_ONLY",
}
registerEnumType(ImportMode, {
  name: "ImportMode",
  description: "ALL: any bad row refuses the whole file; VALID_ONLY: the valid rows are imported and the bad ones reported",
});

export enum ImportPhase {
  QUEUED = "QUEUED",
  VALIDATING = "VALIDATING",
  WRITING = "WRITING",
  FINISHED = "FINISHED",
}
registerEnumType(ImportPhase, { name: "ImportPhase" });

@ObjectType({ description: "One refused row of an import, or a problem of the whole file (row 1 = the header)" })
export class ImportRowError {
  @Field(() => Int, { description: "Row number as the spreadsheet shows it (the header is row 1)" }) row: number;
  @Field({ description: "account, name, phone, schoolCode, schoolName, countyCode, subject, stage, header or file" }) field: string;
  @Field({ description: "The column's name in the export (师训账号 …)" }) column: string;
  @Field() message: string;
}

@ObjectType({ description: "An import of teachers and schools: progress while it runs, the outcome once done" })
export class ImportJob {
  @Field(() => ID) id: string;
  @Field(() => ImportJobState) state: ImportJobState;
  @Field(() => ImportPhase) phase: ImportPhase;
  @Field(() => ImportMode) mode: ImportMode;
  @Field() fileName: string;
  @Field(() => String, { nullable: true, description: "csv or xlsx, recognized from the content" }) format: string | null;
  @Field(() => Float, { description: "0…1: validation is the first half, writing the second" }) progress: number;
  @Field(() => Int, { description: "Rows read (while validating) or written (while writing)" }) processed: number;
  @Field(() => Int, { nullable: true, description: "Rows to write; unknown while the file is still being read" }) total: number | null;
  @Field({ description: "Mode ALL and at least one bad row: nothing was imported" }) refused: boolean;
  @Field(() => Int, { description: "Data rows in the file (blank rows not counted)" }) rows: number;
  @Field(() => Int) validRows: number;
  @Field(() => Int, { description: "Accounts created" }) created: number;
  @Field(() => Int, { description: "Accounts whose profile, school or teacher role changed" }) updated: number;
  @Field(() => Int, { description: "Accounts already exactly as in the file" }) unchanged: number;
  @Field(() => Int) schoolsCreated: number;
  @Field(() => Int) schoolsRenamed: number;
  @Field(() => Int, { description: "All row errors (a row can have several)" }) errorCount: number;
  @Field(() => Int, { description: "Rows with at least one error" }) errorRowCount: number;
  @Field(() => Int, { description: "Errors kept for the list and the report (the first 100,000 by row)" }) storedErrorCount: number;
  @Field({ description: "Download of every stored error as .xlsx (GET, same session)" }) errorReportUrl: string;
  @Field(() => String, { nullable: true, description: "Why the job failed (file unreadable, header missing, …)" }) error: string | null;
  @Field(() => Date) createdAt: Date;
  @Field(() => Date) updatedAt: Date;
  @Field(() => Date, { nullable: true }) finishedAt: Date | null;
  /** Internal: for the errors field resolver. */
  jobId: string;
}
