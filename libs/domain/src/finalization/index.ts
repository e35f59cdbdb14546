export * from "./conflicts.js";
export * from "./assignment-planner.js";
export * from "./scores.js";
export * from "./ranking.js";
export * from "./grading.js";
