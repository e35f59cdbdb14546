import ElementPlus from "element-plus";
import zhCn from "element-plus/es/locale/lang/zh-cn";
import "element-plus/dist/index.css";
import { createPinia } from "pinia";
import { createApp } from "vue";
import App from "./App.vue";
import { setUnauthenticatedHandler } from "./api/client";
import { router } from "./router";
import { useAuthStore } from "./stores/auth";
import "./styles.css";

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);
app.use(router);
app.use(ElementPlus, { locale: zhCn });

setUnauthenticatedHandler(() => {
  const auth = useAuthStore(pinia);
  const wasIn = auth.isLoggedIn;
  auth.forget();
  const current = router.currentRoute.value;
  if (wasIn && !current.meta.public) void router.replace({ name: "login", query: { redirect: current.fullPath, expired: "1" } });
});

app.mount("#app");
