export * from "./teacher-import.js";
