import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Client, loginAs } from "../support/client.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { makeFlatMp4 } from "../fixtures/files/generate.js";

// A stand-in for Debian's ffprobe: answers what the control file says a decoder saw. The real
// binary is not needed to check how the server reads its answer (one process: set before the
// first probe, which looks the binary up once).
const dir = fs.mkdtempSync(path.join(fs.realpathSync("/tmp"), "zjh-ffprobe-"));
const answer = path.join(dir, "answer.json");
const bin = path.join(dir, "ffprobe");
fs.writeFileSync(bin, `#!/bin/sh\nif [ "$1" = "-version" ]; then echo "ffprobe version test"; exit 0; fi\ncat "${answer}"\n[ -f "${answer}.fail" ] && exit 1\nexit 0\n`, { mode: 0o755 });
const saved = process.env.FFPROBE_PATH;
process.env.FFPROBE_PATH = bin;

async function upload(server: TestServer, c: Client, data: Buffer) {
  const form = new FormData();
  form.append("file", new Blob([data]), "案例视频.mp4");
  const res = await fetch(`${server.url}/api/files?purpose=VIDEO`, { method: "POST", headers: { authorization: `Bearer ${c.token}` }, body: form });
  return { status: res.status, body: (await res.json()) as { meta?: Record<string, unknown>; error?: { message: string; violations?: { rule: string }[] } } };
}

function decoderSays(frames: Array<{ width: number; height: number }>, codec = "h264", fail = false) {
  fs.writeFileSync(answer, JSON.stringify({ streams: [{ codec_name: codec, width: frames[0]?.width ?? 0, height: frames[0]?.height ?? 0 }], frames }));
  if (fail) fs.writeFileSync(answer + ".fail", "");
  else fs.rmSync(answer + ".fail", { force: true });
}

let server: TestServer;
let teacher: Client;
beforeAll(async () => {
  server = await startTestServer("pglite", { FILES_DIR: dir });
  teacher = await loginAs(server.url, "ra_teacher1");
});
afterAll(async () => {
  await server?.stop();
  if (saved === undefined) delete process.env.FFPROBE_PATH;
  else process.env.FFPROBE_PATH = saved;
  fs.rmSync(dir, { recursive: true, force: true });
});

const mp4 = makeFlatMp4({ width: 1280, height: 720, durationSec: 2, bitrateBps: 2_500_000 });

it("accepts a video whose first frames decode as the claimed codec and size", async () => {
  decoderSays([{ width: 1280, height: 720 }, { width: 1280, height: 720 }]);
  const u = await upload(server, teacher, mp4);
  expect(u.status).toBe(201);
  expect(u.body.meta).toMatchObject({ decoded: { codec: "h264", width: 1280, height: 720, frames: 2 } });
});

it("refuses a video whose frames do not decode, or decode as another size or codec", async () => {
  decoderSays([], "h264", true);
  const none = await upload(server, teacher, mp4);
  expect(none.status).toBe(422);
  expect(none.body.error!.violations!.map((v) => v.rule)).toEqual(["decode"]);
  expect(none.body.error!.message).toMatch(/画面无法解码/);

  decoderSays([{ width: 320, height: 180 }]);
  const small = await upload(server, teacher, mp4);
  expect(small.body.error!.message).toMatch(/实际解码的画面为320×180/);

  decoderSays([{ width: 1280, height: 720 }], "mpeg4");
  const other = await upload(server, teacher, mp4);
  expect(other.body.error!.message).toMatch(/声明的编码为h264，实际解码为mpeg4/);
});
