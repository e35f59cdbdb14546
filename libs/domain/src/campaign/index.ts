export * from "./types.js";
export * from "./deadline.js";
export * from "./demo-2023.js";
export * from "./validate.js";
export * from "./new-year.js";
