import { ROLE_LABELS, UNIT_KIND_LABELS, ROLES } from "@zjh/domain/org/roles";
import type { Role } from "@/gql/graphql";

export { ROLE_LABELS, UNIT_KIND_LABELS };

export const ROLE_OPTIONS = ROLES.map((value: Role) => ({ value, label: ROLE_LABELS[value] }));
