import { fileURLToPath, URL } from "node:url";
import vue from "@vitejs/plugin-vue";
import { defineConfig } from "vite";

const api = process.env.API_URL ?? "http://localhost:4000";

export default defineConfig({
  plugins: [vue()],
  resolve: { alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) } },
  server: {
    port: 5173,
    proxy: {
      "/graphql": { target: api, changeOrigin: false },
      "/api": { target: api, changeOrigin: false },
      "/healthz": { target: api, changeOrigin: false },
    },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      output: {
        // Element Plus and ECharts change rarely; separate chunks stay cached across releases.
        codeSplitting: {
          groups: [
            { name: "element-plus", test: /node_modules[\\/](element-plus|@element-plus)/ },
            { name: "echarts", test: /node_modules[\\/](echarts|zrender)/ },
            { name: "vue", test: /node_modules[\\/](@vue|vue|vue-router|pinia)[\\/]/ },
          ],
        },
      },
    },
  },
});
