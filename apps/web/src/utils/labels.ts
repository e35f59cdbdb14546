import { ROLE_LABELS, UNIT_KIND_LABELS, ROLES } from "@zjh/domain/org/roles";
import type { CampaignStatus, Role } from "@/gql/graphql";

export { ROLE_LABELS, UNIT_KIND_LABELS };
export { CAMPAIGN_STATUS_LABELS } from "@zjh/domain/labels";

export const ROLE_OPTIONS = ROLES.map((value: Role) => ({ value, label: ROLE_LABELS[value] }));

/** The tag colour of a campaign's status. */
export const CAMPAIGN_STATUS_TAG: Record<CampaignStatus, "info" | "success" | "warning"> = { DRAFT: "warning", OPEN: "success", CLOSED: "info" };
