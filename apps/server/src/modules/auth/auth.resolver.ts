import { ROLE_LABELS, type Role } from "@zjh/domain";
import { Arg, Ctx as GqlCtx, ID, Mutation, Query, Resolver } from "type-graphql";
import type { ActingRole, AuthInfo, Ctx } from "../../common/context.js";
import { requireAuth } from "./authorize.js";
import { permissionsOf } from "./permissions.js";
import { unitsById } from "../org/org.repository.js";
import * as authService from "./auth.service.js";
import { LoginResult, Me, RoleAssignment } from "./auth.types.js";
import { OrgUnit } from "../org/org.types.js";

async function meOf(ctx: Ctx, auth: AuthInfo): Promise<Me> {
  const ids = [auth.homeUnitId, ...auth.roles.map((r) => r.unitId)];
  const units = await unitsById(ctx.db, ids);
  const byId = new Map([...units].map(([id, u]) => [id, OrgUnit.from(u)]));
  const ra = (r: ActingRole): RoleAssignment =>
    Object.assign(new RoleAssignment(), {
      id: r.assignmentId,
      role: r.role as Role,
      roleLabel: ROLE_LABELS[r.role],
      unit: byId.get(r.unitId)!,
      userId: auth.userId,
      grantedAt: null,
    });
  return Object.assign(new Me(), {
    id: auth.userId,
    account: auth.account,
    name: auth.name,
    homeUnit: byId.get(auth.homeUnitId)!,
    roles: auth.roles.map(ra),
    actingRole: auth.acting ? ra(auth.acting) : null,
    permissions: auth.acting ? permissionsOf(auth.acting.role as Role) : [],
  });
}

@Resolver()
export class AuthResolver {
  @Query(() => Me, { nullable: true, description: "The signed-in user, or null" })
  me(@GqlCtx() ctx: Ctx) {
    return ctx.auth ? meOf(ctx, ctx.auth) : null;
  }

  @Mutation(() => LoginResult, { description: "Log in with the teacher-training account (师训账号) and password" })
  async login(@Arg("account") account: string, @Arg("password") password: string, @GqlCtx() ctx: Ctx) {
    const { token, auth } = await authService.login(ctx, account.trim(), password);
    ctx.setCookie(authService.SESSION_COOKIE, token, { maxAgeMs: ctx.config.sessionTtlHours * 3600_000 });
    return Object.assign(new LoginResult(), { token, me: await meOf(ctx, auth) });
  }

  @Mutation(() => Boolean)
  async logout(@GqlCtx() ctx: Ctx) {
    await authService.logout(ctx);
    ctx.setCookie(authService.SESSION_COOKIE, "", { clear: true });
    return true;
  }

  @Mutation(() => Me, { description: "Act in another of the user's roles from now on (this session)" })
  async switchRole(@Arg("assignmentId", () => ID) assignmentId: string, @GqlCtx() ctx: Ctx) {
    const auth = await authService.switchRole(ctx, requireAuth(ctx), assignmentId);
    return meOf(ctx, auth);
  }

  @Mutation(() => Boolean)
  async changePassword(@Arg("currentPassword") currentPassword: string, @Arg("newPassword") newPassword: string, @GqlCtx() ctx: Ctx) {
    await authService.changePassword(ctx, requireAuth(ctx), currentPassword, newPassword);
    return true;
  }
}
