import type { Role } from "@zjh/domain";
import type { Db } from "../db/data-source.js";
import type { ServerConfig } from "../config.js";

export interface ActingRole {
  assignmentId: string;
  role: Role;
  unitId: string;
  unitPath: string;
  unitKind: string;
  unitName: string;
}

export interface AuthInfo {
  userId: string;
  account: string;
  name: string;
  homeUnitId: string;
  homeUnitPath: string;
  sessionTokenHash: string;
  /** The role this request acts in; null when the user holds no role or chose none. */
  acting: ActingRole | null;
  roles: ActingRole[];
}

/** Per-request context: created fresh for every request, never shared across users. */
export interface Ctx {
  db: Db;
  config: ServerConfig;
  auth: AuthInfo | null;
  ip: string;
  /** Set a cookie on the response (login/logout). */
  setCookie: (name: string, value: string, opts: { maxAgeMs?: number; clear?: boolean }) => void;
  /** Per-request memo for loaders, keyed by name. */
  loaders: Map<string, unknown>;
}
