import { onMounted, ref, shallowRef, type Ref } from "vue";
import { ApiError } from "@/api/client";

/**
 * Loading / error / data for one server read. Only the latest call's answer is kept, so fast
 * filter changes never show an older page over a newer one.
 */
export function useQuery<T>(load: () => Promise<T>, opts: { immediate?: boolean } = {}) {
  // Deep ref: pages patch rows in place after a mutation (lock, grant) without reloading.
  const data = ref<T | null>(null) as Ref<T | null>;
  const loading = ref(false);
  const error = shallowRef<ApiError | null>(null);
  let seq = 0;

  async function run(): Promise<T | null> {
    const mine = ++seq;
    loading.value = true;
    error.value = null;
    try {
      const result = await load();
      if (mine === seq) data.value = result;
      return result;
    } catch (e) {
      if (mine === seq) error.value = e instanceof ApiError ? e : new ApiError("CLIENT", "页面出错了，请刷新后重试");
      return null;
    } finally {
      if (mine === seq) loading.value = false;
    }
  }

  if (opts.immediate !== false) onMounted(run);
  return { data, loading, error, run };
}
