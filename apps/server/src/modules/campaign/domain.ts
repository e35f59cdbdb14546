/**
 * The campaign, pipeline and form rules of @zjh/domain this server uses, in one import. The
 * package's subpath exports are used so the server does not depend on the order in which the
 * domain's root barrel grows.
 */
export * from "@zjh/domain/campaign/index";
export * from "@zjh/domain/pipeline/index";
export * from "@zjh/domain/forms/index";
