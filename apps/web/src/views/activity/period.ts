/** Statistics periods as the server takes them: a year "YYYY" or a month "YYYY-MM" (Asia/Shanghai). */

const SHANGHAI_MONTH = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit" });

/** The current year and month in Beijing time. */
export function nowInShanghai(): { year: number; month: number } {
  const parts = SHANGHAI_MONTH.formatToParts(new Date());
  return { year: Number(parts.find((p) => p.type === "year")!.value), month: Number(parts.find((p) => p.type === "month")!.value) };
}

export function currentYear(): number {
  return nowInShanghai().year;
}

/** The last complete month (the monthly 通报 reports the month just ended). */
export function lastMonth(): string {
  const { year, month } = nowInShanghai();
  return month === 1 ? `${year - 1}-12` : `${year}-${pad(month - 1)}`;
}

const pad = (n: number) => (n < 10 ? "0" : "") + n;

/** The first year the rule set applies to (the 2018 trial version) and the current one. */
export const FIRST_YEAR = 2018;

/** The years a picker offers: those with data first (latest first), then the others down to FIRST_YEAR. */
export function yearOptions(withData: number[] = []): number[] {
  const years = [...withData];
  for (let y = currentYear(); y >= FIRST_YEAR; y--) if (!years.includes(y)) years.push(y);
  return years;
}

/** A year the pickers offer (FIRST_YEAR to the current year). */
export function isYear(y: number): boolean {
  return Number.isInteger(y) && y >= FIRST_YEAR && y <= currentYear();
}

export function isPeriod(v: unknown): v is string {
  if (typeof v !== "string") return false;
  const m = /^(\d{4})(?:-(\d{2}))?$/.exec(v);
  return !!m && (m[2] === undefined || (Number(m[2]) >= 1 && Number(m[2]) <= 12));
}

export function splitPeriod(p: string): { year: number; month: number | null } {
  const [y, m] = p.split("-");
  return { year: Number(y), month: m ? Number(m) : null };
}

export function joinPeriod(year: number, month: number | null): string {
  return month ? `${year}-${pad(month)}` : String(year);
}

/** 2023年 / 2023年5月 */
export function periodLabel(p: string): string {
  const { year, month } = splitPeriod(p);
  return month ? `${year}年${month}月` : `${year}年`;
}

/** The twelve month keys of a year. */
export function monthsOf(year: number): string[] {
  return Array.from({ length: 12 }, (_, i) => `${year}-${pad(i + 1)}`);
}

/** "2023-05" → "5月" */
export function monthShort(key: string): string {
  return `${Number(key.slice(5, 7))}月`;
}
