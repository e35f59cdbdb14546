import { Foundation1763900000000 } from "./1763900000000-foundation.js";

/** Every migration, in order. A new migration is one file here plus one line below. */
export const migrations = [Foundation1763900000000];
