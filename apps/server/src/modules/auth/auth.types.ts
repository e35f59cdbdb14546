import type { Role } from "@zjh/domain";
import { Field, ID, ObjectType } from "type-graphql";
import { RoleEnum } from "../../common/enums.js";
import { OrgUnit } from "../org/org.types.js";

@ObjectType({ description: "A role held by a user over one unit (and everything below it)" })
export class RoleAssignment {
  @Field(() => ID) id: string;
  @Field(() => RoleEnum) role: Role;
  @Field() roleLabel: string;
  @Field(() => OrgUnit) unit: OrgUnit;
  @Field(() => ID) userId: string;
  @Field(() => Date, { nullable: true }) grantedAt: Date | null;
}

@ObjectType()
export class Me {
  @Field(() => ID) id: string;
  @Field() account: string;
  @Field() name: string;
  @Field(() => OrgUnit) homeUnit: OrgUnit;
  @Field(() => [RoleAssignment]) roles: RoleAssignment[];
  @Field(() => RoleAssignment, { nullable: true, description: "The role the app currently acts in" })
  actingRole: RoleAssignment | null;
  @Field(() => [String], {
    description: "What the acting role may do (the server's Permission values, e.g. CAMPAIGN_ADMIN); empty without an acting role. Menus follow it; the server still checks every operation.",
  })
  permissions: string[];
}

@ObjectType()
export class LoginResult {
  @Field({ description: "Session token; browsers also get it as an httpOnly cookie. API clients send it as `Authorization: Bearer`." })
  token: string;
  @Field(() => Me) me: Me;
}
