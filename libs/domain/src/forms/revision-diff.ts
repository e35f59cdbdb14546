/** One field that differs between two revisions of a form. */
export interface FieldChange {
  /** Dotted path with [i] for list items, e.g. "case.summary", "members[2].name". */
  field: string;
  before: string | number | boolean | null;
  after: string | number | boolean | null;
}

type Leaf = string | number | boolean | null;

function flatten(value: unknown, path: string, out: Map<string, Leaf>): void {
  if (value === undefined || value === null) {
    if (path) out.set(path, null);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => flatten(v, `${path}[${i}]`, out));
    return;
  }
  if (typeof value === "object") {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) flatten(v, path ? `${path}.${k}` : k, out);
    return;
  }
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") out.set(path, value);
}

/**
 * What changed between two revisions of a form, field by field (for reviewers comparing a
 * resubmission with the revision they returned). Absent, null and blank text are the same.
 */
export function diffRevisions(before: unknown, after: unknown): FieldChange[] {
  const a = new Map<string, Leaf>();
  const b = new Map<string, Leaf>();
  flatten(before, "", a);
  flatten(after, "", b);
  const norm = (v: Leaf | undefined): Leaf => (v === undefined || (typeof v === "string" && v.trim() === "") ? null : v);
  const fields = [...new Set([...a.keys(), ...b.keys()])];
  const changes: FieldChange[] = [];
  for (const field of fields) {
    const x = norm(a.get(field));
    const y = norm(b.get(field));
    if (x !== y) changes.push({ field, before: x, after: y });
  }
  return changes;
}
