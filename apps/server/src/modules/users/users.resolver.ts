import type { Role } from "@zjh/domain";
import { Arg, Args, ArgsType, Ctx as GqlCtx, Field, FieldResolver, ID, Mutation, Query, Resolver, Root, registerEnumType } from "type-graphql";
import type { Ctx } from "../../common/context.js";
import { RoleEnum } from "../../common/enums.js";
import { PageArgs } from "../../common/paging.js";
import { RoleAssignment } from "../auth/auth.types.js";
import { unitById } from "../org/org.service.js";
import { OrgUnit } from "../org/org.types.js";
import * as users from "./users.service.js";
import { RoleAssignmentPage, RoleHolder, User, UserPage } from "./users.types.js";

export enum UserSortField {
  account = "account",
  name = "name",
  unit = "unit",
}
registerEnumType(UserSortField, { name: "UserSortField" });

@ArgsType()
export class UserFilterArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: "Home unit (and below); default: the acting role's unit" }) unitId?: string;
  @Field({ nullable: true, description: "Account or name prefix" }) search?: string;
  @Field({ nullable: true }) locked?: boolean;
  @Field(() => RoleEnum, { nullable: true }) role?: Role;
  @Field(() => UserSortField, { defaultValue: UserSortField.account }) sort: UserSortField;
  @Field({ defaultValue: false }) desc: boolean;
}

@ArgsType()
export class AssignmentFilterArgs extends PageArgs {
  @Field(() => ID, { nullable: true }) unitId?: string;
  @Field(() => RoleEnum, { nullable: true }) role?: Role;
}

@Resolver(() => User)
export class UsersResolver {
  @Query(() => UserPage, { description: "Users whose home unit is in the given unit (default: the acting scope)" })
  users(@Args() a: UserFilterArgs, @GqlCtx() ctx: Ctx) {
    return users.listUsers(ctx, { unitId: a.unitId, search: a.search, locked: a.locked, role: a.role, sort: a.sort, desc: a.desc }, a);
  }

  @Query(() => User)
  user(@Arg("id", () => ID) id: string, @GqlCtx() ctx: Ctx) {
    return users.getUser(ctx, id);
  }

  @Query(() => RoleAssignmentPage, { description: "Who holds which role over which unit, inside the caller's scope" })
  roleAssignments(@Args() a: AssignmentFilterArgs, @GqlCtx() ctx: Ctx) {
    return users.listAssignments(ctx, { unitId: a.unitId, role: a.role }, a);
  }

  @Mutation(() => User, { description: "Lock a user (transferred or retired): cannot log in, leaves statistics, keeps history" })
  lockUser(@Arg("userId", () => ID) userId: string, @Arg("reason") reason: string, @GqlCtx() ctx: Ctx) {
    return users.setLocked(ctx, userId, true, reason);
  }

  @Mutation(() => User)
  unlockUser(@Arg("userId", () => ID) userId: string, @GqlCtx() ctx: Ctx) {
    return users.setLocked(ctx, userId, false, null);
  }

  @Mutation(() => Boolean, { description: "Set a new password for a user below the caller" })
  resetPassword(@Arg("userId", () => ID) userId: string, @Arg("newPassword") newPassword: string, @GqlCtx() ctx: Ctx) {
    return users.resetPassword(ctx, userId, newPassword);
  }

  @Mutation(() => RoleAssignment)
  grantRole(
    @Arg("userId", () => ID) userId: string,
    @Arg("role", () => RoleEnum) role: Role,
    @Arg("unitId", () => ID) unitId: string,
    @GqlCtx() ctx: Ctx,
  ) {
    return users.grantRole(ctx, userId, role, unitId);
  }

  @Mutation(() => Boolean)
  revokeRole(@Arg("assignmentId", () => ID) assignmentId: string, @GqlCtx() ctx: Ctx) {
    return users.revokeRole(ctx, assignmentId);
  }

  @FieldResolver(() => OrgUnit, { nullable: true })
  homeUnit(@Root() u: User, @GqlCtx() ctx: Ctx) {
    return unitById(ctx, u.homeUnitId);
  }

  @FieldResolver(() => [RoleAssignment])
  roles(@Root() u: User, @GqlCtx() ctx: Ctx) {
    return users.rolesOfUser(ctx, u.id);
  }
}

@Resolver(() => RoleAssignment)
export class RoleAssignmentResolver {
  @FieldResolver(() => RoleHolder, {
    description: "Who holds the role, by identity only (account, name, lock state), whatever their home unit: the role audit and its export name every holder; batched per request",
  })
  async holder(@Root() a: RoleAssignment, @GqlCtx() ctx: Ctx) {
    return (await users.roleHolder(ctx, a.userId))!;
  }
}
