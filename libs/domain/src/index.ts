export * from "./errors.js";
export * from "./org/index.js";
export * from "./import/index.js";
