export * from "./roles.js";
export * from "./account.js";
export * from "./account-admin.js";
export * from "./login-throttle.js";
export * from "./permissions.js";
