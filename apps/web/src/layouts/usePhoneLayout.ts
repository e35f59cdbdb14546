import { onBeforeUnmount, ref, type Ref } from "vue";

/** The width at and below which the app uses its phone layout (also in styles.css). */
export const PHONE_MAX_WIDTH = 768;

/** True while the window is phone-sized; follows rotation and resizing. */
export function usePhoneLayout(): Ref<boolean> {
  const query = window.matchMedia(`(max-width: ${PHONE_MAX_WIDTH}px)`);
  const phone = ref(query.matches);
  const update = (e: MediaQueryListEvent) => (phone.value = e.matches);
  query.addEventListener("change", update);
  onBeforeUnmount(() => query.removeEventListener("change", update));
  return phone;
}
