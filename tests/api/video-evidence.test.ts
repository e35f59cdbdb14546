import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Client, loginAs } from "../support/client.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";
import { makeFlatMp4 } from "../fixtures/files/generate.js";

async function upload(server: TestServer, c: Client, data: Buffer) {
  const form = new FormData();
  form.append("file", new Blob([data]), "案例视频.mp4");
  const res = await fetch(`${server.url}/api/files?purpose=VIDEO`, { method: "POST", headers: { authorization: `Bearer ${c.token}` }, body: form });
  return { status: res.status, body: (await res.json()) as { meta?: Record<string, number>; error?: { code: string; message: string; violations?: { rule: string }[] } } };
}

describeEachDb("a video's claims checked against its bytes", (variant) => {
  let server: TestServer;
  let teacher: Client;
  let filesDir: string;
  beforeAll(async () => {
    filesDir = fs.mkdtempSync(path.join(fs.realpathSync("/tmp"), "zjh-video-"));
    server = await startTestServer(variant, { FILES_DIR: filesDir });
    teacher = await loginAs(server.url, "ra_teacher1");
  });
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(filesDir, { recursive: true, force: true });
  });

  it("accepts a plain MP4 whose media data holds every declared sample", async () => {
    const mp4 = makeFlatMp4({ width: 1280, height: 720, durationSec: 3, bitrateBps: 2_500_000 });
    const u = await upload(server, teacher, mp4);
    expect(u.status).toBe(201);
    expect(u.body.meta).toMatchObject({ container: "mp4", width: 1280, height: 720, durationSec: 3, mdatBytes: 3 * 312_500, sampleBytes: 3 * 312_500, samplesOutsideMdat: 0 });
  });

  it("refuses a small MP4 whose sample table claims 10 s at 2.5 Mbps (680 bytes are not 3 MB)", async () => {
    const mp4 = makeFlatMp4({ width: 1280, height: 720, durationSec: 10, bitrateBps: 2_500_000, mdatBytes: 16 });
    expect(mp4.length).toBeLessThan(1000);
    const u = await upload(server, teacher, mp4);
    expect(u.status).toBe(422);
    expect(u.body.error!.code).toBe("FILE_REJECTED");
    expect(u.body.error!.violations!.map((v) => v.rule)).toEqual(["mediaData"]);
    expect(u.body.error!.message).toMatch(/媒体数据不完整/);
  });

  it("refuses a file cut short: samples declared past the end of the media data", async () => {
    const mp4 = makeFlatMp4({ width: 1920, height: 1080, durationSec: 4, bitrateBps: 3_000_000 });
    const u = await upload(server, teacher, mp4.subarray(0, mp4.length - 400_000));
    expect(u.status).toBe(422);
    expect(u.body.error!.violations!.map((v) => v.rule)).toEqual(["mediaData"]);
  });
});
