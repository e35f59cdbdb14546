export * from "./consent.js";
