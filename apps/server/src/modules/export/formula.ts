/**
 * Text that a spreadsheet would read as a formula (or as the start of one, after a tab or a
 * carriage return) gets a leading apostrophe, so user-typed `=HYPERLINK(…)`, `+`, `-`, `@`
 * arrives as plain text wherever the file is opened or re-saved as CSV. Applied to every string
 * cell the registry writes (title, subtitle, headers and data): one place for every export.
 */
export function neutralizeFormula(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}
