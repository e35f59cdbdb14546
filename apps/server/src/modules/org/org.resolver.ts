import { DomainError, type UnitKind } from "@zjh/domain";
import { Arg, Args, Ctx as GqlCtx, FieldResolver, ID, Int, Query, Resolver, Root } from "type-graphql";
import type { Ctx } from "../../common/context.js";
import { UnitKindEnum } from "../../common/enums.js";
import { PageArgs } from "../../common/paging.js";
import { requireActing } from "../auth/authorize.js";
import * as org from "./org.service.js";
import { OrgUnit, OrgUnitPage, UnitCounts } from "./org.types.js";

/**
 * A unit reached through another object (an application's city, a reviewer's unit in a history,
 * a role held elsewhere, a city's deadline) shows its label (id, kind, code, name, parent,
 * depth) to whoever may see that object; its figures (counts, children) only to an acting role
 * whose subtree holds it, as `unit(id)` would. Outside: NOT_FOUND, the answer for ids that do
 * not exist. `ancestors` lists only ancestors inside the subtree.
 */
function requireInSubtree(ctx: Ctx, unit: OrgUnit): void {
  const acting = requireActing(ctx);
  if (typeof unit.path !== "string" || !unit.path.startsWith(acting.unitPath)) {
    throw new DomainError("NOT_FOUND", "单位不存在或不在管辖范围内", "unitId");
  }
}

@Resolver(() => OrgUnit)
export class OrgResolver {
  @Query(() => OrgUnit, { description: "One unit inside the caller's scope" })
  unit(@Arg("id", () => ID) id: string, @GqlCtx() ctx: Ctx) {
    return org.getUnit(ctx, id);
  }

  @Query(() => OrgUnitPage, { description: "Children of a unit; without parentId, the acting role's own unit" })
  unitChildren(
    @Arg("parentId", () => ID, { nullable: true }) parentId: string | null,
    @Arg("kind", () => UnitKindEnum, { nullable: true }) kind: UnitKind | null,
    @Args() page: PageArgs,
    @GqlCtx() ctx: Ctx,
  ) {
    return org.unitChildren(ctx, parentId, kind ?? undefined, page);
  }

  @Query(() => [OrgUnit], { description: "Units in scope whose name contains, or code starts with, the query" })
  searchUnits(
    @Arg("query") query: string,
    @Arg("kinds", () => [UnitKindEnum], { nullable: true }) kinds: UnitKind[] | null,
    @Arg("limit", () => Int, { defaultValue: 20 }) limit: number,
    @GqlCtx() ctx: Ctx,
  ) {
    return org.searchUnits(ctx, query, kinds ?? undefined, limit);
  }

  @FieldResolver(() => UnitCounts)
  counts(@Root() unit: OrgUnit, @GqlCtx() ctx: Ctx) {
    requireInSubtree(ctx, unit);
    return org.unitCounts(ctx, unit);
  }

  @FieldResolver(() => Int)
  childCount(@Root() unit: OrgUnit, @GqlCtx() ctx: Ctx) {
    requireInSubtree(ctx, unit);
    return org.childCount(ctx, unit);
  }

  @FieldResolver(() => [OrgUnit], { description: "Ancestors within the caller's scope, top first" })
  ancestors(@Root() unit: OrgUnit, @GqlCtx() ctx: Ctx) {
    return org.ancestorsInScope(ctx, unit);
  }
}
