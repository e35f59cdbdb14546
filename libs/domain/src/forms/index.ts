export * from "./rules.js";
export * from "./regional-contact-form.js";
export * from "./club-registration-form.js";
export * from "./application-form.js";
export * from "./attachments.js";
export * from "./revision-diff.js";
export * from "./validate.js";
