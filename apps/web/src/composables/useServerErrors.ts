import { reactive, ref } from "vue";
import { ApiError } from "@/api/client";

/**
 * Maps a refusal from the server onto the form: each violation's message under its field
 * (el-form-item :error), the rest as one message above the form. The form's values are never
 * touched, so nothing typed is lost when the server refuses.
 */
export function useServerErrors() {
  const fields = reactive<Record<string, string>>({});
  const general = ref<string | null>(null);

  function clear() {
    for (const k of Object.keys(fields)) delete fields[k];
    general.value = null;
  }

  /** Returns true when the error was shown on the form. */
  function apply(e: unknown, knownFields: string[] = []): boolean {
    clear();
    if (!(e instanceof ApiError)) {
      general.value = "操作失败，请稍后重试";
      return true;
    }
    const violations = e.violations.length ? e.violations : e.field ? [{ field: e.field, rule: e.code, message: e.message }] : [];
    const unplaced: string[] = [];
    for (const v of violations) {
      if (knownFields.length === 0 || knownFields.includes(v.field)) fields[v.field] = fields[v.field] ? `${fields[v.field]}；${v.message}` : v.message;
      else unplaced.push(v.message);
    }
    if (!violations.length || unplaced.length) general.value = unplaced.length ? unplaced.join("；") : e.message;
    return true;
  }

  return { fields, general, clear, apply };
}
