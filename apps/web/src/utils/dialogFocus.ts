/** The fields a dialog's first focus may go to, in document order. */
const FIELD = [
  "input:not([type=hidden]):not([disabled])",
  "textarea:not([disabled])",
  "select:not([disabled])",
].join(", ");

/**
 * Element Plus puts focus on a dialog's (or drawer's) frame when it opens; a keyboard or screen
 * reader user then has to Tab past the close button to reach the form. Move the focus on to the
 * first field of its body instead (dialogs without fields keep the focus on the frame).
 */
export function focusFirstFieldOfDialogs(doc: Document = document): void {
  doc.addEventListener("focusin", (e) => {
    const target = e.target as HTMLElement | null;
    if (!target?.matches?.(".el-dialog, .el-drawer")) return;
    const body = target.querySelector(".el-dialog__body, .el-drawer__body");
    const field = body?.querySelector<HTMLElement>(FIELD);
    if (field) field.focus();
  });
}
