import { defineComponent, h } from "vue";
import { createMemoryHistory, createRouter, type Router } from "vue-router";

/** A router on one blank page, for mounting code that reads and writes the address (`?sort=…`). */
export async function testRouter(query: Record<string, string> = {}): Promise<Router> {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: "/list", name: "list", component: defineComponent({ render: () => h("div") }) }],
  });
  await router.push({ path: "/list", query });
  await router.isReady();
  return router;
}
