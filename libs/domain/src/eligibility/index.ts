export * from "./criteria.js";
export * from "./checklist.js";
export * from "./indicators-from-activity.js";
