import { DomainError } from "@zjh/domain";
import { ArgsType, Field, Int } from "type-graphql";

export const MAX_PAGE_SIZE = 200;

@ArgsType()
export class PageArgs {
  @Field(() => Int, { defaultValue: 0, description: "Rows to skip" })
  offset: number;

  @Field(() => Int, { defaultValue: 20, description: `Page size, at most ${MAX_PAGE_SIZE}` })
  limit: number;
}

export function checkPage(p: { offset: number; limit: number }): { offset: number; limit: number } {
  if (!Number.isInteger(p.offset) || p.offset < 0) throw new DomainError("BAD_INPUT", "offset 不能为负数", "offset");
  if (!Number.isInteger(p.limit) || p.limit < 1 || p.limit > MAX_PAGE_SIZE) {
    throw new DomainError("BAD_INPUT", `每页条数须在1到${MAX_PAGE_SIZE}之间`, "limit");
  }
  return p;
}

/** Escapes a user string for use inside LIKE. */
export function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => "\\" + c);
}
