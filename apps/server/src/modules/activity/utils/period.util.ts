import { DomainError } from "@zjh/domain";

/** A statistics period: a year ("2023") or a month ("2023-03"), in Asia/Shanghai days. */
export interface Period {
  /** The key aggregates are stored under: "YYYY" or "YYYY-MM". */
  key: string;
  kind: "year" | "month";
  year: number;
  month: number | null;
  /** First day, and the first day after, as "YYYY-MM-DD". */
  from: string;
  until: string;
}

const pad = (n: number) => (n < 10 ? "0" : "") + n;

export function yearPeriod(year: number, field = "year"): Period {
  if (!Number.isInteger(year) || year < 2000 || year > 2100) {
    throw new DomainError("BAD_INPUT", `字段 ${field} 须为 2000 到 2100 之间的年份`, field);
  }
  return { key: String(year), kind: "year", year, month: null, from: `${year}-01-01`, until: `${year + 1}-01-01` };
}

/** Parses "YYYY" or "YYYY-MM"; refuses anything else with a message naming the field and the rule. */
export function parsePeriod(text: string, field = "period"): Period {
  const m = /^(\d{4})(?:-(\d{2}))?$/.exec(text.trim());
  const bad = () => new DomainError("BAD_INPUT", `字段 ${field} 须为年份 YYYY 或月份 YYYY-MM（如 2023 或 2023-03）`, field);
  if (!m) throw bad();
  const year = Number(m[1]);
  const p = yearPeriod(year, field);
  if (m[2] === undefined) return p;
  const month = Number(m[2]);
  if (month < 1 || month > 12) throw bad();
  const next = month === 12 ? `${year + 1}-01-01` : `${year}-${pad(month + 1)}-01`;
  return { key: `${year}-${pad(month)}`, kind: "month", year, month, from: `${year}-${pad(month)}-01`, until: next };
}

/** The twelve month keys of a year. */
export function monthsOf(year: number): string[] {
  return Array.from({ length: 12 }, (_, i) => `${year}-${pad(i + 1)}`);
}
