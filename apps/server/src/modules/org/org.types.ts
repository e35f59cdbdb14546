import type { UnitKind } from "@zjh/domain";
import { Field, ID, Int, ObjectType } from "type-graphql";
import { UnitKindEnum } from "../../common/enums.js";
import type { UnitRow } from "../auth/authorize.js";

@ObjectType({ description: "A unit of the organization tree: province, city, county, district, school or practice base" })
export class OrgUnit {
  @Field(() => ID) id: string;
  @Field(() => UnitKindEnum) kind: UnitKind;
  @Field(() => String, { nullable: true, description: "GB/T 2260 division code (province, city, county) or the school code" })
  code: string | null;
  @Field() name: string;
  @Field(() => ID, { nullable: true }) parentId: string | null;
  @Field(() => Int) depth: number;
  /** Internal: materialized path, never exposed. */
  path: string;

  static from(r: UnitRow): OrgUnit {
    return Object.assign(new OrgUnit(), {
      id: String(r.id),
      kind: r.kind as UnitKind,
      code: r.code,
      name: r.name,
      parentId: r.parent_id == null ? null : String(r.parent_id),
      depth: r.depth,
      path: r.path,
    });
  }
}

@ObjectType()
export class UnitCounts {
  @Field(() => Int, { description: "Schools and practice bases in the unit's subtree" }) schools: number;
  @Field(() => Int, { description: "Teachers (unlocked) in the subtree" }) teachers: number;
  @Field(() => Int, { description: "Locked (transferred or retired) teachers in the subtree" }) lockedTeachers: number;
}

@ObjectType()
export class OrgUnitPage {
  @Field(() => [OrgUnit]) items: OrgUnit[];
  @Field(() => Int) total: number;
}
