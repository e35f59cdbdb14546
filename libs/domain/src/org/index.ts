export * from "./roles.js";
export * from "./account.js";
