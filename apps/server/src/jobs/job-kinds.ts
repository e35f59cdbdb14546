import type { JobKind } from "./job-runner.js";
import { activityImportJob } from "../modules/activity/activity-import.job.js";
import { teacherImportJob } from "../modules/import/teacher-import.service.js";

/** Every kind of background job the runner runs. A new kind is its handler plus one line here. */
export const jobKinds: readonly JobKind[] = [teacherImportJob, activityImportJob];
