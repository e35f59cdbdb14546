import { Foundation1763900000000 } from "./1763900000000-foundation.js";
import { CampaignPipeline1763910000000 } from "./1763910000000-campaign-pipeline.js";
import { TeacherImport1763940000000 } from "./1763940000000-teacher-import.js";
import { Activity1763925000000 } from "./1763925000000-activity.js";
import { Finalization1763970000000 } from "./1763970000000-finalization.js";
import { ActivityRosterIndex1763985000000 } from "./1763985000000-activity-roster-index.js";
import { ActivityUnitStats1763995000000 } from "./1763995000000-activity-unit-stats.js";
import { FilePublicId1764120000000 } from "./1764120000000-file-public-id.js";
import { ListedUserPhone1764130000000 } from "./1764130000000-listed-user-phone.js";
import { LastActingRole1764160000000 } from "./1764160000000-last-acting-role.js";
import { ApplicationConsent1764200000000 } from "./1764200000000-application-consent.js";
import { JobRunner1764220000000 } from "./1764220000000-job-runner.js";
import { ActivityUnitThresholds1764240000000 } from "./1764240000000-activity-unit-thresholds.js";

/** Every migration, in order. A new migration is one file here plus one line below. */
export const migrations = [Foundation1763900000000, CampaignPipeline1763910000000, Activity1763925000000, TeacherImport1763940000000, Finalization1763970000000, ActivityRosterIndex1763985000000, ActivityUnitStats1763995000000, FilePublicId1764120000000, ListedUserPhone1764130000000, LastActingRole1764160000000, ApplicationConsent1764200000000, JobRunner1764220000000, ActivityUnitThresholds1764240000000];
