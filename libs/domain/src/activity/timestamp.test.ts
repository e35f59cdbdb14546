import { describe, expect, it } from "vitest";
import {
  civilFromDays,
  compareInstants,
  dayString,
  daysFromCivil,
  monthString,
  newParsedInstant,
  parseInstant,
  shanghaiDay,
  TimestampStatus,
  yearDayRange,
} from "./timestamp.js";

function parsed(at: string) {
  const p = newParsedInstant();
  expect(parseInstant(at, p)).toBe(TimestampStatus.Ok);
  return p;
}

describe("parseInstant", () => {
  it("agrees with Date.parse on whole milliseconds over many random instants", () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const offsets = ["Z", "+08:00", "-05:00", "+05:45", "-12:00", "+14:00", "+00:00"];
    for (let i = 0; i < 5000; i++) {
      const ms = Math.floor((rand() * 2 - 0.4) * 4e12);
      const off = offsets[i % offsets.length]!;
      const offMin = off === "Z" ? 0 : (off[0] === "-" ? -1 : 1) * (Number(off.slice(1, 3)) * 60 + Number(off.slice(4, 6)));
      const local = new Date(ms + offMin * 60_000).toISOString().slice(0, 23);
      if (local.startsWith("-") || local.startsWith("+")) continue;
      const at = `${local}${off}`;
      const p = parsed(at);
      expect(p.epochMs).toBe(Date.parse(at));
      expect(p.epochMs).toBe(ms);
      expect(p.day).toBe(Math.floor((ms + 8 * 3_600_000) / 86_400_000));
    }
  });

  it("keeps the fraction below the millisecond", () => {
    const p = parsed("2018-03-01T00:00:00.123456789Z");
    expect(p.epochMs).toBe(Date.parse("2018-03-01T00:00:00.123Z"));
    expect(p.subMs).toBe(456_789_000_000_000);
    expect(p.subMsRest).toBe("");
    const q = parsed("2018-03-01T00:00:00.1234567890123456789100Z");
    expect(q.subMs).toBe(456_789_012_345_678);
    expect(q.subMsRest).toBe("91");
  });

  it("orders instants exactly", () => {
    const order = [
      "2018-03-01T00:00:00Z",
      "2018-03-01T00:00:00.0000000000000000001Z",
      "2018-03-01T00:00:00.000000000000000001Z",
      "2018-03-01T00:00:00.0001Z",
      "2018-03-01T08:00:00.001+08:00",
      "2018-03-01T00:00:00.00100001Z",
    ].map(parsed);
    for (let i = 1; i < order.length; i++) expect(compareInstants(order[i - 1]!, order[i]!)).toBe(-1);
    expect(compareInstants(parsed("2018-03-01T08:00:00.5+08:00"), parsed("2018-03-01T00:00:00.500000Z"))).toBe(0);
  });

  it.each([
    ["2018-03-01T15:59:59.999Z", "2018-03-01"],
    ["2018-03-01T16:00:00Z", "2018-03-02"],
    ["2018-03-01T23:59:59+08:00", "2018-03-01"],
    ["2018-03-02T00:00:00+08:00", "2018-03-02"],
    ["2017-12-31T16:00:00Z", "2018-01-01"],
    ["2018-12-31T15:59:59Z", "2018-12-31"],
    ["2018-03-01T20:00:00-05:00", "2018-03-02"],
    ["1969-12-31T16:00:00Z", "1970-01-01"],
    ["1969-12-31T15:59:59.999Z", "1969-12-31"],
    ["0001-01-01T08:00:00+08:00", "0001-01-01"],
  ])("%s is Shanghai day %s", (at, day) => {
    expect(shanghaiDay(at)).toBe(day);
  });

  it("returns null for invalid timestamps", () => {
    expect(shanghaiDay("2018-03-01T08:00:00")).toBeNull();
  });

  it.each([
    ["2018-03-01T08:00:00", TimestampStatus.NoOffset],
    ["2018-03-01T08:00", TimestampStatus.NoOffset],
    ["2018-03-01", TimestampStatus.BadFormat],
    ["2018-03-01T08:00:00+8:00", TimestampStatus.BadFormat],
    ["2018-03-01T08:00:00Z+08:00", TimestampStatus.BadFormat],
    ["２０18-03-01T08:00:00Z", TimestampStatus.BadFormat],
    ["2018-04-31T08:00:00Z", TimestampStatus.Impossible],
    ["2018-03-01T08:60:00Z", TimestampStatus.Impossible],
    ["2018-03-01T08:00:00+08:60", TimestampStatus.Impossible],
    ["2018-00-10T08:00:00Z", TimestampStatus.Impossible],
    ["2018-03-00T08:00:00Z", TimestampStatus.Impossible],
  ])("%s → status %s", (at, status) => {
    expect(parseInstant(at, newParsedInstant())).toBe(status);
  });
});

describe("calendar days", () => {
  it("round-trips day numbers and agrees with Date", () => {
    for (let d = -800_000; d <= 800_000; d += 997) {
      const [y, m, day] = civilFromDays(d);
      expect(daysFromCivil(y, m, day)).toBe(d);
      if (y >= 1 && y <= 9999) expect(dayString(d)).toBe(new Date(d * 86_400_000).toISOString().slice(0, 10));
    }
  });

  it("formats months and years", () => {
    expect(monthString(daysFromCivil(2018, 3, 31))).toBe("2018-03");
    expect(yearDayRange(2018)).toEqual([daysFromCivil(2018, 1, 1), daysFromCivil(2019, 1, 1)]);
    expect(dayString(daysFromCivil(5, 1, 2))).toBe("0005-01-02");
  });
});
