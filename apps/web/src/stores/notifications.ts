import { defineStore } from "pinia";
import { ref } from "vue";
import { gql } from "@/api/client";
import { MarkReadMutation, UnreadCountQuery } from "./notifications.gql";

/** The unread badge in the header; refreshed on navigation and after reading. */
export const useNotificationStore = defineStore("notifications", () => {
  const unread = ref(0);

  async function refresh() {
    try {
      unread.value = (await gql(UnreadCountQuery)).notifications.unread;
    } catch {
      // The badge is a convenience: a failed refresh keeps the last count.
    }
  }

  async function markRead(ids?: string[]) {
    await gql(MarkReadMutation, { ids: ids ?? null });
    await refresh();
  }

  return { unread, refresh, markRead };
});
