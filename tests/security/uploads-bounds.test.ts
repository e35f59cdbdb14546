import { afterAll, beforeAll, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { Client, loginAs } from "../support/client.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";
import { makeMp4, makeZip } from "../fixtures/files/generate.js";

interface Answer {
  status: number;
  body: { id?: string; error?: { code: string; message: string; violations?: { rule: string; message: string }[] } };
}

async function upload(server: TestServer, c: Client, purpose: string, name: string, data: Buffer): Promise<Answer> {
  const form = new FormData();
  form.append("file", new Blob([data]), name);
  const res = await fetch(`${server.url}/api/files?purpose=${purpose}`, { method: "POST", headers: { authorization: `Bearer ${c.token}` }, body: form });
  return { status: res.status, body: (await res.json()) as Answer["body"] };
}

/** Runs `work` while sampling this process's RSS (the server runs in it); answers the peak growth in MB. */
async function rssGrowth<T>(work: () => Promise<T>): Promise<{ result: T; growthMb: number }> {
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, growthMb: (peak - base) / 1024 / 1024 };
  } finally {
    clearInterval(timer);
  }
}

function box(type: string, payload: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt32BE(8 + payload.length, 0);
  h.write(type, 4, "latin1");
  return Buffer.concat([h, payload]);
}

const FTYP = box("ftyp", Buffer.concat([Buffer.from("isom"), Buffer.alloc(4), Buffer.from("isomiso2avc1mp41")]));

/** The probe's finding: an ftyp followed by millions of empty 8-byte boxes. */
function manyBoxesMp4(totalBytes: number): Buffer {
  const n = Math.floor((totalBytes - FTYP.length) / 8);
  const body = Buffer.alloc(n * 8);
  for (let i = 0; i < n; i++) {
    body.writeUInt32BE(8, i * 8);
    body.write("free", i * 8 + 4, "latin1");
  }
  return Buffer.concat([FTYP, body]);
}

/** A moov whose sample-size table declares two billion samples in 20 bytes. */
function hugeSampleCountMp4(): Buffer {
  const stsz = box("stsz", Buffer.from([0, 0, 0, 0, 0, 0, 0x10, 0, 0x7f, 0xff, 0xff, 0xff]));
  const moov = box("moov", box("trak", box("mdia", box("minf", box("stbl", stsz)))));
  return Buffer.concat([FTYP, moov, box("mdat", Buffer.alloc(16))]);
}

describeEachDb("upload bounds (hostile files made here)", (variant) => {
  let server: TestServer;
  let teacher: Client;
  let filesDir: string;

  beforeAll(async () => {
    filesDir = fs.mkdtempSync(path.join(fs.realpathSync("/tmp"), "zjh-bounds-"));
    server = await startTestServer(variant, { FILES_DIR: filesDir });
    teacher = await loginAs(server.url, "ra_teacher1");
  });
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(filesDir, { recursive: true, force: true });
  });

  it("refuses an MP4 of millions of 8-byte boxes with a stable code, in bounded memory", async () => {
    const mp4 = manyBoxesMp4(20 * 1024 * 1024);
    const { result, growthMb } = await rssGrowth(() => upload(server, teacher, "VIDEO", "a.mp4", mp4));
    expect(result.status).toBe(422);
    expect(result.body.error!.code).toBe("FILE_REJECTED");
    expect(result.body.error!.violations!.map((v) => v.rule)).toEqual(["boxCount"]);
    expect(result.body.error!.message).toMatch(/顶层数据块超过/);
    expect(growthMb).toBeLessThan(200);
  });

  it("refuses a moov that declares billions of samples before expanding them", async () => {
    const { result, growthMb } = await rssGrowth(() => upload(server, teacher, "VIDEO", "b.mp4", hugeSampleCountMp4()));
    expect(result.status).toBe(422);
    expect(result.body.error!.violations!.map((v) => v.rule)).toEqual(["sampleCount"]);
    expect(growthMb).toBeLessThan(200);
  });

  it("refuses an oversized moov without reading it", async () => {
    const moov = Buffer.alloc(8);
    moov.writeUInt32BE(64 * 1024 * 1024, 0);
    moov.write("moov", 4, "latin1");
    const file = Buffer.concat([FTYP, moov, Buffer.alloc(64 * 1024 * 1024 - 8)]);
    const { result, growthMb } = await rssGrowth(() => upload(server, teacher, "VIDEO", "c.mp4", file));
    expect(result.status).toBe(422);
    expect(result.body.error!.violations!.map((v) => v.rule)).toEqual(["moovSize"]);
    expect(growthMb).toBeLessThan(200 + 64);
  });

  it("still accepts an ordinary MP4", async () => {
    const mp4 = await makeMp4({ width: 1280, height: 720, durationSec: 2, bitrateBps: 2_500_000 });
    const u = await upload(server, teacher, "VIDEO", "ok.mp4", mp4);
    expect(u.body).toMatchObject({ id: expect.any(String) });
    expect(u.status).toBe(201);
  });

  it("refuses a zip of 60,000 entries after reading at most the entry cap, in bounded memory", async () => {
    const zip = makeZip(Array.from({ length: 60_000 }, (_, i) => ({ name: `p${i}.jpg`, data: "", store: true })));
    const { result, growthMb } = await rssGrowth(() => upload(server, teacher, "PHOTO_ZIP", "many.zip", zip));
    expect(result.status).toBe(422);
    expect(result.body.error!.violations!.map((v) => v.rule)).toContain("entryCount");
    expect(growthMb).toBeLessThan(200);
  });

  it("refuses a zip bomb whose headers lie about its sizes, inflating no more than the cap", async () => {
    const zeros = Buffer.alloc(60 * 1024 * 1024);
    const zip = makeZip(Array.from({ length: 12 }, (_, i) => ({ name: `p${i}.jpg`, data: zeros })));
    // Lie in every header: 1 KB uncompressed.
    for (let at = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])); at >= 0; at = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), at + 4)) zip.writeUInt32LE(1024, at + 24);
    const { result, growthMb } = await rssGrowth(() => upload(server, teacher, "PHOTO_ZIP", "bomb.zip", zip));
    expect(result.status).toBe(422);
    expect(growthMb).toBeLessThan(200);
  });

  it("stops an activity import at a line without end (a 16 MB file with no line break), in bounded memory", async () => {
    const platform = await loginAs(server.url, "prov_admin");
    const body = Buffer.alloc(16 * 1024 * 1024, 0x61);
    const { result, growthMb } = await rssGrowth(async () => {
      const fd = new FormData();
      fd.append("file", new Blob([body]), "events.jsonl");
      const res = await fetch(`${server.url}/api/activity/import`, { method: "POST", headers: { authorization: `Bearer ${platform.token}` }, body: fd });
      expect(res.status).toBe(202);
      const { jobId } = (await res.json()) as { jobId: string };
      for (;;) {
        const j = (await platform.gql<{ activityImportJob: { state: string; error: string | null } }>(`query($id: ID!) { activityImportJob(id: $id) { state error } }`, { id: jobId })).activityImportJob;
        if (j.state === "DONE" || j.state === "FAILED") return j;
        await new Promise((r) => setTimeout(r, 100));
      }
    });
    expect(result.state).toBe("FAILED");
    expect(result.error).toMatch(/第1行超过1M个字符/);
    expect(growthMb).toBeLessThan(200);
  });

  it("refuses a case 'document' zip of 60,000 entries without word/document.xml after reading at most 2,000 of them", async () => {
    const zip = makeZip(Array.from({ length: 60_000 }, (_, i) => ({ name: `w${i}.xml`, data: "", store: true })));
    const { result, growthMb } = await rssGrowth(() => upload(server, teacher, "CASE_DOCUMENT", "case.docx", zip));
    expect(result.status).toBe(422);
    expect(result.body.error!.message).toMatch(/案例文档须为Word/);
    expect(growthMb).toBeLessThan(200);
  });

  it("refuses a compound file whose directory chain loops on itself, after a bounded walk", async () => {
    // Header: 512-byte sectors, FAT in sector 0, directory from sector 1; the FAT sends sector 1 back to itself.
    const header = Buffer.alloc(512, 0);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(header, 0);
    header.writeUInt16LE(9, 0x1e);
    header.writeUInt32LE(1, 0x30);
    for (let i = 0; i < 109; i++) header.writeUInt32LE(i === 0 ? 0 : 0xffffffff, 0x4c + i * 4);
    const fat = Buffer.alloc(512, 0xff);
    fat.writeUInt32LE(0xfffffffd, 0);
    fat.writeUInt32LE(1, 4);
    const { result, growthMb } = await rssGrowth(() => upload(server, teacher, "CASE_DOCUMENT", "case.doc", Buffer.concat([header, fat, Buffer.alloc(512)])));
    expect(result.status).toBe(422);
    expect(growthMb).toBeLessThan(200);
  });

  it("judges a stamped scan by its first bytes only, whatever its size", async () => {
    const fake = Buffer.alloc(5 * 1024 * 1024, 0x41);
    const { result, growthMb } = await rssGrowth(() => upload(server, teacher, "STAMPED_SCAN", "scan.pdf", fake));
    expect(result.status).toBe(422);
    expect(growthMb).toBeLessThan(200);
  });
});
