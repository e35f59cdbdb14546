import "reflect-metadata";
import type { GraphQLSchema } from "graphql";
import { buildSchema, type NonEmptyArray } from "type-graphql";
import { AuthResolver } from "./modules/auth/auth.resolver.js";
import { OrgResolver } from "./modules/org/org.resolver.js";
import { RoleAssignmentResolver, UsersResolver } from "./modules/users/users.resolver.js";
import { ActivityImportJobResolver, ActivityResolver } from "./modules/activity/activity.resolver.js";
import { StatsResolver } from "./modules/stats/stats.resolver.js";
import { ImportJobResolver } from "./modules/import/import-job.resolver.js";
import { CampaignResolver, DeadlineExtensionResolver, UnitDeadlineResolver } from "./modules/campaign/campaign.resolver.js";
import { ApplicationResolver, ReviewActionResolver } from "./modules/application/application.resolver.js";
import { NotificationResolver } from "./modules/notification/notification.resolver.js";
import { RegionalContactResolver } from "./modules/campaign/contact.resolver.js";
import { ClubRegistrationFormResolver, ClubRegistrationResolver } from "./modules/campaign/club.resolver.js";
import { ExpertAssignmentResolver } from "./modules/finalization/expert-assignment.resolver.js";
import { ExpertScoreResolver, ScoreSheetResolver } from "./modules/finalization/expert-score.resolver.js";
import { GradingResolver } from "./modules/finalization/grading.resolver.js";
import { PublicationResolver } from "./modules/finalization/publication.resolver.js";

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const resolvers: NonEmptyArray<Function> = [AuthResolver, OrgResolver, UsersResolver, RoleAssignmentResolver, ImportJobResolver, ActivityResolver, ActivityImportJobResolver, StatsResolver,
  CampaignResolver, UnitDeadlineResolver, DeadlineExtensionResolver, ApplicationResolver, ReviewActionResolver, NotificationResolver, RegionalContactResolver, ClubRegistrationResolver, ClubRegistrationFormResolver,
  ExpertAssignmentResolver, ExpertScoreResolver, ScoreSheetResolver, GradingResolver, PublicationResolver];

let cached: Promise<GraphQLSchema> | null = null;

/** The GraphQL schema, generated from the resolvers (snapshotted in apps/server/schema.graphql). */
export function getSchema(): Promise<GraphQLSchema> {
  cached ??= buildSchema({ resolvers, validate: false, emitSchemaFile: false });
  return cached;
}
