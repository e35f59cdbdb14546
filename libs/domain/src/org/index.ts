export * from "./roles.js";
export * from "./account.js";
export * from "./account-admin.js";
