export * from "./errors.js";
export * from "./org/index.js";
