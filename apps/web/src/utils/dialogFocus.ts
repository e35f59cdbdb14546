/** The fields a dialog's first focus may go to, in document order. */
const FIELD = [
  "input:not([type=hidden]):not([disabled])",
  "textarea:not([disabled])",
  "select:not([disabled])",
].join(", ");

/**
 * Element Plus puts focus on a dialog's (or drawer's) frame when it opens; a keyboard or screen
 * reader user then has to Tab past the close button to reach the form. Move the focus on to the
 * first field of its body instead. A dialog whose fields come with data it loads on opening gets
 * the focus on its first field when that field appears, as long as the focus is still on the
 * frame (dialogs without fields keep the focus on the frame).
 */
export function focusFirstFieldOfDialogs(doc: Document = document): void {
  doc.addEventListener("focusin", (e) => {
    const frame = e.target as HTMLElement | null;
    if (!frame?.matches?.(".el-dialog, .el-drawer")) return;
    const body = frame.querySelector(".el-dialog__body, .el-drawer__body");
    if (!body) return;
    const tryFocus = () => {
      if (doc.activeElement !== frame) return true;
      const field = body.querySelector<HTMLElement>(FIELD);
      field?.focus();
      return !!field;
    };
    if (tryFocus()) return;
    const observer = new MutationObserver(() => {
      if (tryFocus()) observer.disconnect();
    });
    observer.observe(body, { childList: true, subtree: true, attributes: true, attributeFilter: ["disabled"] });
    // Stop watching once the focus leaves the frame (the user moved on, or the dialog closed).
    frame.addEventListener("focusout", () => observer.disconnect(), { once: true });
  });
}
