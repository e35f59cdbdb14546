export * from "./levels.js";
export * from "./transition.js";
export * from "./quota.js";
