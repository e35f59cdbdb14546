/**
 * `pnpm admin create --account <account> [--name <name>]`: creates a province administrator
 * (PROVINCE_ADMIN at the province) on the configured database (DATABASE_URL, or PGlite in
 * DATA_DIR). The password comes from ADMIN_PASSWORD, else from standard input (a prompt on a
 * terminal, the first line when piped); an empty answer generates a strong one and prints it
 * once. A weak password is refused. Exit codes: 0 created, 1 refused, 2 usage.
 *
 * Imports no GraphQL types: it runs from the TypeScript sources without decorator metadata.
 */
import crypto from "node:crypto";
import readline from "node:readline";
import { accountViolations, adminPasswordViolations } from "@zjh/domain";

// Start-up logging (migrations, seeding) stays off the command's output unless asked for.
process.env.LOG_LEVEL ??= "warn";

const USAGE = "用法: pnpm admin create --account <账号> [--name <姓名>]\n密码取自环境变量 ADMIN_PASSWORD，或从标准输入读取；留空则生成强密码并打印一次。";

class Refusal extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

function parseArgs(argv: string[]): { command: string; account: string; name?: string } {
  const [command, ...rest] = argv;
  if (command !== "create") throw new Refusal(USAGE, 2);
  const opts: Record<string, string> = {};
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    const m = /^--(account|name)(?:=(.*))?$/.exec(a);
    if (!m) throw new Refusal(`未知参数 ${a}\n${USAGE}`, 2);
    const value = m[2] ?? rest[++i];
    if (value === undefined) throw new Refusal(`--${m[1]} 缺少取值\n${USAGE}`, 2);
    opts[m[1]!] = value;
  }
  if (!opts.account) throw new Refusal(`缺少 --account\n${USAGE}`, 2);
  const bad = accountViolations(opts.account, "--account");
  if (bad.length) throw new Refusal(`--account: ${bad[0]!.message}`);
  const name = opts.name?.trim();
  if (name !== undefined && (name.length === 0 || name.length > 50)) throw new Refusal("--name: 姓名须为1–50个字符");
  return { command, account: opts.account, name };
}

/** 24 characters from four classes (about 140 bits), always passing the admin policy. */
export function generatePassword(): string {
  const sets = ["abcdefghijkmnopqrstuvwxyz", "ABCDEFGHJKLMNPQRSTUVWXYZ", "23456789", "-_.@#%+="];
  const all = sets.join("");
  const chars = sets.map((s) => s[crypto.randomInt(s.length)]!);
  while (chars.length < 24) chars.push(all[crypto.randomInt(all.length)]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = crypto.randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join("");
}

/** One line from stdin: a hidden prompt on a terminal, the first line of a pipe (empty at EOF). */
async function readPassword(): Promise<string> {
  const stdin = process.stdin;
  if (stdin.isTTY) {
    process.stderr.write("管理员密码（留空则自动生成）: ");
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding("utf8");
    return new Promise((resolve, reject) => {
      let value = "";
      const onData = (chunk: string) => {
        for (const ch of chunk) {
          if (ch === "\r" || ch === "\n" || ch === "\u0004") {
            stdin.setRawMode(false);
            stdin.pause();
            stdin.off("data", onData);
            process.stderr.write("\n");
            resolve(value);
            return;
          }
          if (ch === "\u0003") {
            stdin.setRawMode(false);
            reject(new Refusal("已取消"));
            return;
          }
          if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
          else value += ch;
        }
      };
      stdin.on("data", onData);
    });
  }
  const rl = readline.createInterface({ input: stdin, terminal: false });
  try {
    for await (const line of rl) return line.replace(/\r$/, "");
    return "";
  } finally {
    rl.close();
  }
}

async function create(account: string, name: string | undefined): Promise<void> {
  let password = process.env.ADMIN_PASSWORD;
  let source = "ADMIN_PASSWORD";
  if (password === undefined || password === "") {
    password = await readPassword();
    source = "password";
  }
  let generated = false;
  if (password === "") {
    password = generatePassword();
    generated = true;
  }
  const weak = adminPasswordViolations(password, account, source);
  if (weak.length) throw new Refusal(`${source}: ${weak[0]!.message}（密码强度不足，未创建账号）`);

  const { loadConfig } = await import("../config.js");
  const { openDb } = await import("../db/data-source.js");
  const { seed } = await import("../db/seed.js");
  const { hashPassword } = await import("../modules/auth/password.js");
  const { accountExists, insertProvinceAdmin, provinceRoot } = await import("../modules/users/user.repository.js");
  const config = loadConfig();
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await seed(db, { demo: false });
    const hash = await hashPassword(password);
    await db.tx(async (tx) => {
      const province = await provinceRoot(tx);
      if (!province) throw new Refusal("数据库中没有省级单位");
      if (await accountExists(tx, account)) throw new Refusal(`账号 ${account} 已存在，未作修改`);
      await insertProvinceAdmin(tx, {
        account, name: name ?? "省级管理员", unitId: province.id, unitPath: province.path, passwordHash: hash,
        data: { account, generatedPassword: generated },
      });
    });
  } finally {
    await db.close();
  }
  process.stdout.write(`已创建省级管理员 ${account}（${db.kind === "postgres" ? "PostgreSQL" : "PGlite " + config.dataDir}）\n`);
  if (generated) process.stdout.write(`生成的密码（只显示这一次，请妥善保存）: ${password}\n`);
}

async function main(): Promise<number> {
  try {
    const args = parseArgs(process.argv.slice(2));
    await create(args.account, args.name);
    return 0;
  } catch (err) {
    if (err instanceof Refusal) {
      process.stderr.write(err.message + "\n");
      return err.exitCode;
    }
    process.stderr.write(`创建失败: ${(err as Error).message}\n`);
    return 1;
  }
}

process.exitCode = await main();
