import { Field, ID, Int, ObjectType } from "type-graphql";
import { RoleAssignment } from "../auth/auth.types.js";
import { OrgUnit } from "../org/org.types.js";

@ObjectType()
export class User {
  @Field(() => ID) id: string;
  @Field() account: string;
  @Field() name: string;
  @Field(() => String, { nullable: true }) phone: string | null;
  @Field(() => String, { nullable: true }) subject: string | null;
  @Field(() => String, { nullable: true }) stage: string | null;
  @Field(() => ID) homeUnitId: string;
  @Field(() => OrgUnit, { nullable: true }) homeUnit?: OrgUnit | null;
  @Field() locked: boolean;
  @Field(() => String, { nullable: true }) lockedReason: string | null;
  @Field(() => Date, { nullable: true }) lockedAt: Date | null;
  @Field({ description: "Whether the account can log in with a password (imported accounts start without one)" })
  hasPassword: boolean;
  @Field(() => [RoleAssignment]) roles?: RoleAssignment[];
}

@ObjectType()
export class UserPage {
  @Field(() => [User]) items: User[];
  @Field(() => Int) total: number;
}

@ObjectType()
export class RoleAssignmentPage {
  @Field(() => [RoleAssignment]) items: RoleAssignment[];
  @Field(() => Int) total: number;
}

@ObjectType({ description: "Who holds a role assignment: identity only, as the role audit and its export list it" })
export class RoleHolder {
  @Field(() => ID) id: string;
  @Field() account: string;
  @Field() name: string;
  @Field({ description: "Locked (transferred or retired): the account cannot sign in" }) locked: boolean;
}
