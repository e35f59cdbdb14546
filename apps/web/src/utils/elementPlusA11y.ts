/**
 * Names for form controls that Element Plus renders inside its own components without one
 * (axe: "Form elements must have labels"): the page-size select of el-pagination. Applied to
 * every such control as it appears.
 */
const UNNAMED: [selector: string, name: string][] = [[".el-pagination__sizes input[role=combobox]:not([aria-label])", "每页条数"]];

export function nameElementPlusControls(root: HTMLElement = document.body): void {
  let queued = false;
  const apply = () => {
    queued = false;
    for (const [selector, name] of UNNAMED) for (const el of root.querySelectorAll(selector)) el.setAttribute("aria-label", name);
  };
  new MutationObserver(() => {
    if (queued) return;
    queued = true;
    queueMicrotask(apply);
  }).observe(root, { childList: true, subtree: true });
  apply();
}
