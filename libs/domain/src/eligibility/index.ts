export * from "./criteria.js";
export * from "./checklist.js";
