import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Client, loginAs } from "../support/client.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";
import { JPEG, makeMp4, makeZip, PDF, PNG } from "../fixtures/files/generate.js";
import { fullForm, review, testCampaign } from "./pipeline-helpers.js";

interface Upload {
  status: number;
  body: { id?: string; purpose?: string; contentType?: string; size?: number; meta?: Record<string, unknown>; url?: string; error?: { code: string; message: string; violations?: { field: string; rule: string; message: string }[] } };
}

async function upload(server: TestServer, c: Client | null, purpose: string, name: string, data: Buffer): Promise<Upload> {
  const form = new FormData();
  form.append("file", new Blob([data]), name);
  const res = await fetch(`${server.url}/api/files?purpose=${purpose}`, {
    method: "POST",
    headers: c?.token ? { authorization: `Bearer ${c.token}`, ...(c.actingRole ? { "x-acting-role": c.actingRole } : {}) } : {},
    body: form,
  });
  return { status: res.status, body: (await res.json()) as Upload["body"] };
}

const rules = (u: Upload) => (u.body.error?.violations ?? []).map((v) => v.rule).sort();

describeEachDb("uploads checked by content", (variant) => {
  let server: TestServer;
  let teacher: Client, teacher2: Client, raCounty: Client, lcCounty: Client, expert: Client, admin: Client;
  let filesDir: string;

  beforeAll(async () => {
    filesDir = fs.mkdtempSync(path.join(fs.realpathSync("/tmp"), "zjh-files-"));
    server = await startTestServer(variant, { FILES_DIR: filesDir });
    [teacher, teacher2, raCounty, lcCounty, expert, admin] = await Promise.all(
      ["ra_teacher1", "ra_teacher2", "ra_county", "lc_county", "expert_hz", "prov_admin"].map((a) => loginAs(server.url, a)),
    );
  });
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(filesDir, { recursive: true, force: true });
  });

  it("accepts a 1280×720 16:9 MP4 at 2.5 Mbps, whatever its name, and stores it under a generated name", async () => {
    const mp4 = await makeMp4({ width: 1280, height: 720, durationSec: 1, bitrateBps: 2_500_000 });
    const u = await upload(server, teacher, "VIDEO", "课堂实录.txt", mp4);
    expect(u.status).toBe(201);
    expect(u.body).toMatchObject({ purpose: "VIDEO", contentType: "video/mp4", size: mp4.length });
    expect(u.body.meta).toMatchObject({ container: "mp4", width: 1280, height: 720 });
    expect(u.body.meta!.bitrateBps as number).toBeGreaterThanOrEqual(2_000_000);
    const stored = fs.readdirSync(filesDir, { recursive: true }).map(String).filter((f) => !f.startsWith("tmp") && f.includes(path.sep));
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatch(/^[0-9a-f]{2}[\\/][0-9a-f]{32}$/);
  });

  it("refuses a video by its own metadata, naming every broken rule", async () => {
    const mp4 = await makeMp4({ width: 640, height: 480, durationSec: 360, bitrateBps: 8_000 });
    const u = await upload(server, teacher, "VIDEO", "案例视频.mp4", mp4);
    expect(u.status).toBe(422);
    expect(u.body.error!.code).toBe("FILE_REJECTED");
    expect(rules(u)).toEqual(["aspectRatio", "bitrate", "duration", "resolution"]);
    expect(u.body.error!.message).toMatch(/6分0秒，要求不超过5分钟/);
    expect(u.body.error!.message).toMatch(/640×480，要求不低于1280×720/);
  });

  it("refuses files that are not MP4 whatever they are called", async () => {
    const avi = Buffer.concat([Buffer.from("RIFF"), Buffer.alloc(4), Buffer.from("AVI LIST"), Buffer.alloc(1000)]);
    expect(rules(await upload(server, teacher, "VIDEO", "video.mp4", avi))).toContain("container");
    const mov = await makeMp4({ width: 1920, height: 1080, durationSec: 1, bitrateBps: 3_000_000, brands: ["qt  "] });
    const m = await upload(server, teacher, "VIDEO", "video.mp4", mov);
    expect(rules(m)).toEqual(["container"]);
    expect(m.body.error!.message).toMatch(/MOV格式/);
  });

  it("accepts a zip of photos with captions, and refuses archives that are not, by what is inside", async () => {
    const ok = await upload(server, teacher, "PHOTO_ZIP", "活动照片.zip", makeZip([
      { name: "照片/", data: "" },
      { name: "照片/课堂1.jpg", data: JPEG, store: true },
      { name: "照片/课堂2.png", data: PNG },
      { name: "说明.txt", data: "2023年3月，瑞安市实验中学，空间课堂。" },
      { name: "__MACOSX/._课堂1.jpg", data: "x" },
    ]));
    expect(ok.status).toBe(201);
    expect(ok.body.meta).toMatchObject({ entries: 4 });

    expect(rules(await upload(server, teacher, "PHOTO_ZIP", "photos.zip", Buffer.from("这不是压缩包")))).toEqual(["zip"]);
    expect(rules(await upload(server, teacher, "PHOTO_ZIP", "photos.zip", makeZip([{ name: "a.jpg", data: JPEG }, { name: "setup.exe", data: "MZ" }])))).toEqual(["fileType"]);
    expect(rules(await upload(server, teacher, "PHOTO_ZIP", "photos.zip", makeZip([{ name: "a.jpg", data: JPEG }, { name: "more.zip", data: makeZip([{ name: "b.jpg", data: JPEG }]) }])))).toEqual(["nestedArchive"]);
    expect(rules(await upload(server, teacher, "PHOTO_ZIP", "photos.zip", makeZip([{ name: "a.jpg", data: JPEG }, { name: "../../etc/x.jpg", data: JPEG }])))).toEqual(["unsafePath"]);
    expect(rules(await upload(server, teacher, "PHOTO_ZIP", "photos.zip", makeZip([{ name: "说明.txt", data: "只有说明" }])))).toEqual(["noImages"]);
    const many = makeZip(Array.from({ length: 301 }, (_, i) => ({ name: `p${i}.jpg`, data: JPEG.subarray(0, 200), store: true })));
    expect(rules(await upload(server, teacher, "PHOTO_ZIP", "photos.zip", many))).toContain("entryCount");
  });

  it("counts the bytes a zip really inflates to: a bomb is stopped at the cap", async () => {
    const bomb = makeZip([{ name: "a.jpg", data: JPEG }, { name: "big.jpg", data: Buffer.alloc(60 * 1024 * 1024) }]);
    expect(bomb.length).toBeLessThan(200 * 1024);
    const u = await upload(server, teacher, "PHOTO_ZIP", "photos.zip", bomb);
    expect(u.status).toBe(422);
    expect(rules(u)).toEqual(["compressionRatio", "entrySize"]);

    // A header that claims a small size for a big entry: the inflated bytes decide.
    const liar = makeZip([{ name: "a.jpg", data: JPEG }, { name: "liar.jpg", data: Buffer.alloc(60 * 1024 * 1024, 1) }]);
    const central = liar.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    liar.writeUInt32LE(1000, central + 24);
    const local = liar.indexOf(Buffer.from("liar.jpg")) - 30;
    liar.writeUInt32LE(1000, local + 22);
    const l = await upload(server, teacher, "PHOTO_ZIP", "photos.zip", liar);
    expect(l.status).toBe(422);
    expect(rules(l)).toContain("entrySize");
  });

  it("takes stamped scans as PDF, JPEG or PNG only, and caps their size", async () => {
    expect((await upload(server, raCounty, "STAMPED_SCAN", "联系人信息表.pdf", PDF)).status).toBe(201);
    expect(rules(await upload(server, raCounty, "STAMPED_SCAN", "scan.pdf", Buffer.from("plain text")))).toEqual(["fileType"]);
    const big = await upload(server, raCounty, "STAMPED_SCAN", "scan.pdf", Buffer.concat([PDF, Buffer.alloc(21 * 1024 * 1024)]));
    expect(big.status).toBe(422);
    expect(rules(big)).toEqual(["maxSize"]);
  });

  it("refuses uploads from anonymous callers, roles without the permission, and requests without a purpose", async () => {
    expect((await upload(server, null, "VIDEO", "a.mp4", Buffer.from("x"))).status).toBe(401);
    expect((await upload(server, expert, "STAMPED_SCAN", "a.pdf", PDF)).status).toBe(403);
    const r = await upload(server, teacher, "OTHER", "a.pdf", PDF);
    expect(r.status).toBe(400);
    expect(r.body.error!.message).toMatch(/purpose/);
  });

  it("attaches only one's own files of the right kind, and serves them only to who may see the application", async () => {
    const campaignId = await testCampaign(admin, 2035);
    const video = await upload(server, teacher, "VIDEO", "v.mp4", await makeMp4({ width: 1920, height: 1080, durationSec: 1, bitrateBps: 4_000_000 }));
    const zip = await upload(server, teacher, "PHOTO_ZIP", "p.zip", makeZip([{ name: "a.jpg", data: JPEG }]));
    const others = await upload(server, teacher2, "VIDEO", "v.mp4", await makeMp4({ width: 1280, height: 720, durationSec: 1, bitrateBps: 3_000_000 }));

    const app = (await teacher.gql(`mutation($c: ID!) { createApplication(campaignId: $c, categoryCode: "TEACHING_SPACE") { id version } }`, { c: campaignId })).createApplication;
    const save = (f: Record<string, unknown>, v: number) =>
      teacher.raw(`mutation($id: ID!, $v: Int!, $f: ApplicationFormInput!) { saveApplicationDraft(id: $id, version: $v, form: $f) { id version form { video { id originalName url } photoZip { id } } } }`, { id: app.id, v, f });
    const theirs = await save(fullForm("13857700001", { videoFileId: others.body.id }), app.version);
    expect(theirs.errors?.[0]?.extensions).toMatchObject({ code: "BAD_INPUT", field: "videoFileId" });
    const wrongKind = await save(fullForm("13857700001", { videoFileId: zip.body.id }), app.version);
    expect(wrongKind.errors?.[0]?.extensions).toMatchObject({ code: "BAD_INPUT", field: "videoFileId" });
    const ok = await save(fullForm("13857700001", { videoFileId: video.body.id, photoZipFileId: zip.body.id }), app.version);
    expect(ok.data.saveApplicationDraft.form.video).toMatchObject({ id: video.body.id, originalName: "v.mp4" });
    await review(teacher, "submitApplication", ok.data.saveApplicationDraft);

    const get = (c: Client | null, url: string) => fetch(server.url + url, { headers: c?.token ? { authorization: `Bearer ${c.token}` } : {} });
    const url = `/api/files/${video.body.id}`;
    const own = await get(teacher, url);
    expect(own.status).toBe(200);
    expect(own.headers.get("content-type")).toBe("video/mp4");
    expect(own.headers.get("content-disposition")).toMatch(/attachment/);
    expect(Buffer.from(await own.arrayBuffer()).length).toBe(video.body.size);
    expect((await get(raCounty, url)).status).toBe(200);
    expect((await get(lcCounty, url)).status).toBe(404);
    expect((await get(teacher2, url)).status).toBe(404);
    expect((await get(null, url)).status).toBe(401);
    expect((await get(teacher, "/api/files/999999")).status).toBe(404);

    // An expert sees the attachments only through a released assignment to this application.
    expect((await get(expert, url)).status).toBe(404);
    const expertId = (await expert.gql(`{ me { id } }`)).me.id;
    await server.db.exec(
      `INSERT INTO expert_assignment (campaign_id, application_id, expert_user_id, state, origin, created_by)
       SELECT $1, $2, $3, 'DRAFT', 'MANUAL', id FROM app_user WHERE account = 'prov_admin'`,
      [campaignId, app.id, expertId],
    );
    expect((await get(expert, url)).status).toBe(404);
    await server.db.exec(`UPDATE expert_assignment SET state = 'RELEASED' WHERE application_id = $1`, [app.id]);
    expect((await get(expert, url)).status).toBe(200);
    // The score sheet gives the expert the attachments as download links.
    const sheet = (await expert.gql(`query($a: ID!) { scoreSheet(applicationId: $a) { video { id originalName url } photoZip { id url } } }`, { a: app.id })).scoreSheet;
    expect(sheet.video).toEqual({ id: video.body.id, originalName: "v.mp4", url });
    expect(sheet.photoZip).toMatchObject({ id: zip.body.id, url: `/api/files/${zip.body.id}` });
    expect((await get(expert, sheet.photoZip.url)).status).toBe(200);
  });
});
