// Element Plus's base (its CSS variables) and the styles of the services called from scripts
// (ElMessage, ElMessageBox); components used in templates bring their own CSS (vite.config.ts).
import "element-plus/es/components/base/style/css";
import "element-plus/es/components/message/style/css";
import "element-plus/es/components/message-box/style/css";
import { ElMessageBox } from "element-plus";
import { createPinia } from "pinia";
import { createApp } from "vue";
import App from "./App.vue";
import { setBusyHandler, setUnauthenticatedHandler } from "./api/client";
import { router } from "./router";
import { useAuthStore } from "./stores/auth";
import "./styles.css";
import { focusFirstFieldOfDialogs } from "./utils/dialogFocus";
import { nameElementPlusControls } from "./utils/elementPlusA11y";

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);
app.use(router);

setUnauthenticatedHandler(() => {
  const auth = useAuthStore(pinia);
  const wasIn = auth.isLoggedIn;
  auth.forget();
  const current = router.currentRoute.value;
  if (wasIn && !current.meta.public) void router.replace({ name: "login", query: { redirect: current.fullPath, expired: "1" } });
});

focusFirstFieldOfDialogs();
nameElementPlusControls();

// The server sheds load with 503 (系统繁忙，请稍后重试): one prompt at a time offers to retry; the
// requests refused meanwhile share the answer.
let busyPrompt: Promise<boolean> | null = null;
setBusyHandler((message) => {
  busyPrompt ??= ElMessageBox.confirm(message, "系统繁忙", {
    confirmButtonText: "重试",
    cancelButtonText: "取消",
    type: "warning",
    closeOnClickModal: false,
  })
    .then(
      () => true,
      () => false,
    )
    .finally(() => {
      busyPrompt = null;
    });
  return busyPrompt;
});

// index.html shows the frame with a loading state from its first bytes; it stays until the first
// page is ready (the session check may take seconds on a slow network), so no blank page between.
void router
  .isReady()
  .catch(() => undefined)
  .finally(() => app.mount("#app"));
