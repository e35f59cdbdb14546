import { defineStore } from "pinia";
import { computed, ref } from "vue";
import { ApiError, actingRole, gql } from "@/api/client";
import type { MePartsFragment, Role } from "@/gql/graphql";
import { LoginMutation, LogoutMutation, MeQuery, SwitchRoleMutation } from "./auth.gql";
import { useCampaignStore } from "./campaign";

export type Me = MePartsFragment;
export type Assignment = Me["roles"][number];

/** The signed-in user and the role this tab acts in. */
export const useAuthStore = defineStore("auth", () => {
  const me = ref<Me | null>(null);
  const loaded = ref(false);

  const acting = computed<Assignment | null>(() => me.value?.actingRole ?? null);
  const role = computed<Role | null>(() => acting.value?.role ?? null);
  const isLoggedIn = computed(() => me.value !== null);

  function adopt(next: Me | null) {
    me.value = next;
    actingRole.set(next?.actingRole?.id ?? null);
  }

  /** Loads the session (once per page load unless forced). */
  async function load(force = false): Promise<Me | null> {
    if (loaded.value && !force) return me.value;
    let data = await gql(MeQuery);
    // The tab's stored role was revoked meanwhile: fall back to the session's default role
    // rather than acting without one.
    if (data.me && !data.me.actingRole && data.me.roles.length && actingRole.get()) {
      actingRole.set(null);
      data = await gql(MeQuery);
    }
    adopt(data.me ?? null);
    loaded.value = true;
    return me.value;
  }

  async function login(account: string, password: string): Promise<Me> {
    actingRole.set(null);
    useCampaignStore().reset();
    await gql(LoginMutation, { account, password });
    // The user's units and roles are read in a second request, which carries the new session
    // cookie (the login request itself is still anonymous to scoped fields).
    const loadedMe = await load(true);
    if (!loadedMe) throw new ApiError("UNAUTHENTICATED", "登录失败，请重试");
    return loadedMe;
  }

  async function logout() {
    try {
      await gql(LogoutMutation);
    } finally {
      forget();
    }
  }

  /** Forgets the session locally (after logout, or when the server says it has ended). */
  function forget() {
    useCampaignStore().reset();
    me.value = null;
    actingRole.set(null);
    loaded.value = true;
  }

  /** Acts in another of the user's roles; another role may see other campaigns (drafts are the province's). */
  async function switchRole(assignmentId: string): Promise<Me> {
    const data = await gql(SwitchRoleMutation, { assignmentId });
    adopt(data.switchRole);
    useCampaignStore().reset();
    return data.switchRole;
  }

  return { me, loaded, acting, role, isLoggedIn, load, login, logout, forget, switchRole };
});
