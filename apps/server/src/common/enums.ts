import { registerEnumType } from "type-graphql";
import { ROLES, UNIT_KINDS, type Role, type UnitKind } from "@zjh/domain";

/** GraphQL enums mirror the domain's string unions (one name per concept everywhere). */
export const RoleEnum = Object.fromEntries(ROLES.map((r) => [r, r])) as { [K in Role]: K };
export const UnitKindEnum = Object.fromEntries(UNIT_KINDS.map((k) => [k, k])) as { [K in UnitKind]: K };

registerEnumType(RoleEnum, { name: "Role", description: "A role, always held over one unit" });
registerEnumType(UnitKindEnum, { name: "UnitKind" });
