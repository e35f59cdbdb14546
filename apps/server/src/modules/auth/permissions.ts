/**
 * What a role may do: the permission table lives in the domain (libs/domain/src/org/permissions.ts),
 * shared with the web app's pages and menu. Every GraphQL operation maps to exactly one permission
 * (operations.ts); unit scope is checked on top of it by the service, against the acting role's unit.
 */
export { Permission, PERMISSIONS, PERMISSION_ROLES, permissionsOf, roleHas, rolesWith } from "@zjh/domain";
