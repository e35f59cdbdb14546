export * from "./types.js";
export * from "./rubrics.js";
export * from "./featured-space.js";
export * from "./score-sheet.js";
