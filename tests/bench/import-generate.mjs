#!/usr/bin/env node
// Deterministic generator of the teacher-training platform's export (师训平台教师导出) for the
// teacher import: the eight columns with the real export's Chinese headers, one row per teacher.
//
//   node tests/bench/import-generate.mjs --rows 600000 --seed 7 --out tests/bench/out/teachers-600k.csv [--xlsx]
//
// The province's shape: every county of Zhejiang (GB/T 2260 codes from the seed data), about
// 10,000 schools spread over the counties by weight, teachers spread over the schools; Chinese
// names, mainland mobiles (about 8% left blank), subjects and stages that match the school type.
// CSV is written as Excel saves it (UTF-8 with BOM, CRLF). With --xlsx a streamed .xlsx is written.
import { createWriteStream, mkdirSync, readFileSync } from "node:fs";
import { once } from "node:events";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");

/** mulberry32: small, fast, deterministic. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const HEADER = ["师训账号", "姓名", "手机", "学校代码", "学校名称", "县区代码", "学科", "学段"];
const SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向汤";
const GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力宇晨浩然思琪雨桐佳怡志远晓东海燕国庆德明立新嘉欣子涵一鸣若曦梓萱";
const TYPES = [
  { suffix: "小学", stage: "小学", subjects: ["语文", "数学", "英语", "科学", "音乐", "体育", "美术", "道德与法治", "信息技术"] },
  { suffix: "中学", stage: "初中", subjects: ["语文", "数学", "英语", "物理", "化学", "生物", "历史", "地理", "道德与法治", "体育"] },
  { suffix: "高级中学", stage: "高中", subjects: ["语文", "数学", "英语", "物理", "化学", "生物", "历史", "地理", "政治", "信息技术", "通用技术"] },
  { suffix: "幼儿园", stage: "学前", subjects: ["学前教育"] },
];

function counties() {
  const d = JSON.parse(readFileSync(join(ROOT, "apps/server/src/db/seed-data/zhejiang-divisions.json"), "utf8"));
  return d.cities.flatMap((c) => c.counties.map((k) => ({ code: k.code, name: k.name })));
}

/**
 * The schools: about `schools` in total, each county weighted (a few big urban districts, many
 * small counties), codes `<county code><4 digits>` like the province's 10-digit school codes.
 */
function schoolsOf(rand, schools) {
  const cs = counties();
  const weights = cs.map(() => 0.4 + rand() * 1.6);
  const sum = weights.reduce((a, b) => a + b, 0);
  const out = [];
  cs.forEach((c, i) => {
    const n = Math.max(1, Math.round((schools * weights[i]) / sum));
    for (let k = 1; k <= n; k++) {
      const t = TYPES[k % 7 === 0 ? 3 : k % 5 === 0 ? 2 : k % 3 === 0 ? 1 : 0];
      out.push({ code: `${c.code}${String(k).padStart(4, "0")}`, name: `${c.name}第${k}${t.suffix}`, county: c.code, type: t, weight: 0.3 + rand() * 1.7 });
    }
  });
  return out;
}

/** Yields the data rows (arrays of 8 strings). */
export function* teacherRows({ rows = 600_000, seed = 7, schools = 10_000 } = {}) {
  const rand = rng(seed);
  const list = schoolsOf(rand, schools);
  // Cumulative weights: big schools get more teachers.
  const cum = [];
  let acc = 0;
  for (const s of list) cum.push((acc += s.weight));
  const pick = () => {
    const x = rand() * acc;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return list[lo];
  };
  for (let i = 0; i < rows; i++) {
    const s = pick();
    const name = SURNAMES[Math.floor(rand() * SURNAMES.length)] + GIVEN[Math.floor(rand() * GIVEN.length)] + (rand() < 0.6 ? GIVEN[Math.floor(rand() * GIVEN.length)] : "");
    const phone = rand() < 0.08 ? "" : `1${[3, 5, 7, 8, 9][Math.floor(rand() * 5)]}${String(Math.floor(rand() * 1e9)).padStart(9, "0")}`;
    const subject = s.type.subjects[Math.floor(rand() * s.type.subjects.length)];
    yield [`zj${s.county}${String(i).padStart(7, "0")}`, name, phone, s.code, s.name, s.county, subject, s.type.stage];
  }
}

const quote = (v) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export async function writeCsv(out, opts) {
  mkdirSync(dirname(out), { recursive: true });
  const w = createWriteStream(out);
  let buf = "\uFEFF" + HEADER.join(",") + "\r\n";
  for (const r of teacherRows(opts)) {
    buf += r.map(quote).join(",") + "\r\n";
    if (buf.length > 1 << 20) {
      if (!w.write(buf)) await once(w, "drain");
      buf = "";
    }
  }
  w.end(buf);
  await once(w, "close");
}

export async function writeXlsx(out, opts) {
  mkdirSync(dirname(out), { recursive: true });
  const require = createRequire(join(ROOT, "apps/server/package.json"));
  const ExcelJS = require("exceljs");
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: out, useSharedStrings: false, useStyles: false });
  const ws = wb.addWorksheet("教师名单");
  ws.addRow(HEADER).commit();
  for (const r of teacherRows(opts)) ws.addRow(r).commit();
  ws.commit();
  await wb.commit();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, def) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : def;
  };
  const rows = Number(arg("rows", 600_000));
  const seed = Number(arg("seed", 7));
  const xlsx = process.argv.includes("--xlsx");
  const out = arg("out", join(ROOT, `tests/bench/out/teachers-${rows >= 1000 ? `${Math.round(rows / 1000)}k` : rows}.${xlsx ? "xlsx" : "csv"}`));
  const t = Date.now();
  await (xlsx ? writeXlsx : writeCsv)(out, { rows, seed });
  process.stderr.write(`wrote ${rows} rows to ${out} in ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
}
