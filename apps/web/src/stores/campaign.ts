import { defineStore } from "pinia";
import { computed, ref } from "vue";
import { gql } from "@/api/client";
import type { CampaignsQuery as Result } from "@/gql/graphql";
import { CampaignsQuery } from "./campaign.gql";

export type CampaignSummary = Result["campaigns"][number];

const KEY = "zjh.campaign";

/**
 * The campaign the pipeline pages work on. Defaults to the newest running campaign; the choice
 * is remembered in this browser.
 */
export const useCampaignStore = defineStore("campaign", () => {
  const list = ref<CampaignSummary[]>([]);
  const currentId = ref<string | null>(localStorage.getItem(KEY));
  const loaded = ref(false);

  const current = computed(() => list.value.find((c) => c.id === currentId.value) ?? null);

  async function load(force = false): Promise<CampaignSummary | null> {
    if (loaded.value && !force) return current.value;
    list.value = (await gql(CampaignsQuery)).campaigns;
    loaded.value = true;
    if (!current.value) {
      const pick = list.value.find((c) => c.status === "OPEN") ?? list.value[0] ?? null;
      select(pick?.id ?? null);
    }
    return current.value;
  }

  function select(id: string | null) {
    currentId.value = id;
    if (id) localStorage.setItem(KEY, id);
    else localStorage.removeItem(KEY);
  }

  /** Forget everything (another user or role may see other campaigns). */
  function reset() {
    list.value = [];
    loaded.value = false;
  }

  function categoryName(code: string | null | undefined): string {
    // The one place the web app names a category: by its name in the campaign, never its internal code.
    return current.value?.categories.find((c) => c.code === code)?.name ?? "";
  }

  return { list, currentId, current, loaded, load, select, reset, categoryName };
});
