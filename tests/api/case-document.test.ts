import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Client, loginAs } from "../support/client.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";
import { makeZip, PDF } from "../fixtures/files/generate.js";
import { fullForm, review, testCampaign, CONSENT } from "./pipeline-helpers.js";

/** A minimal compound file (OLE2, 512-byte sectors): FAT in sector 0, directory in sector 1 with a root and one stream named `stream`. */
function compoundFile(stream: string): Buffer {
  const header = Buffer.alloc(512, 0);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(header, 0);
  header.writeUInt16LE(0x3e, 0x18);
  header.writeUInt16LE(3, 0x1a);
  header.writeUInt16LE(0xfffe, 0x1c);
  header.writeUInt16LE(9, 0x1e);
  header.writeUInt16LE(6, 0x20);
  header.writeUInt32LE(1, 0x2c); // FAT sectors
  header.writeUInt32LE(1, 0x30); // first directory sector
  header.writeUInt32LE(4096, 0x38);
  header.writeUInt32LE(0xfffffffe, 0x3c);
  header.writeUInt32LE(0xfffffffe, 0x44);
  for (let i = 0; i < 109; i++) header.writeUInt32LE(i === 0 ? 0 : 0xffffffff, 0x4c + i * 4);
  const fat = Buffer.alloc(512, 0xff);
  fat.writeUInt32LE(0xfffffffd, 0);
  fat.writeUInt32LE(0xfffffffe, 4);
  const dir = Buffer.alloc(512, 0);
  const entry = (at: number, name: string, type: number) => {
    dir.write(name, at, "utf16le");
    dir.writeUInt16LE((name.length + 1) * 2, at + 64);
    dir[at + 66] = type;
    dir.writeUInt32LE(0xffffffff, at + 68);
    dir.writeUInt32LE(0xffffffff, at + 72);
    dir.writeUInt32LE(0xffffffff, at + 76);
  };
  entry(0, "Root Entry", 5);
  entry(128, stream, 2);
  return Buffer.concat([header, fat, dir]);
}

const DOCX = makeZip([
  { name: "[Content_Types].xml", data: '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>' },
  { name: "word/document.xml", data: '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>案例</w:t></w:r></w:p></w:body></w:document>' },
]);

describeEachDb("the case uploaded as a document (案例可附件上传)", (variant) => {
  let server: TestServer;
  let admin: Client, teacher: Client, teacher2: Client, raCounty: Client, lcCounty: Client;
  let filesDir: string;

  async function upload(c: Client, name: string, data: Buffer) {
    const form = new FormData();
    form.append("file", new Blob([data]), name);
    const res = await fetch(`${server.url}/api/files?purpose=CASE_DOCUMENT`, { method: "POST", headers: { authorization: `Bearer ${c.token}` }, body: form });
    return { status: res.status, body: (await res.json()) as { id: string; contentType: string; url: string; error?: { code: string; message: string } } };
  }

  beforeAll(async () => {
    filesDir = fs.mkdtempSync(path.join(fs.realpathSync("/tmp"), "zjh-casedoc-"));
    server = await startTestServer(variant, { FILES_DIR: filesDir });
    [admin, teacher, teacher2, raCounty, lcCounty] = await Promise.all(["prov_admin", "ra_teacher1", "ra_teacher2", "ra_county", "lc_county"].map((a) => loginAs(server.url, a)));
  });
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(filesDir, { recursive: true, force: true });
  });

  it("takes PDF, DOCX and DOC by their content, whatever their names", async () => {
    expect(await upload(teacher, "案例.txt", PDF)).toMatchObject({ status: 201, body: { contentType: "application/pdf" } });
    expect(await upload(teacher, "案例.pdf", DOCX)).toMatchObject({ status: 201, body: { contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document" } });
    expect(await upload(teacher, "案例.docx", compoundFile("WordDocument"))).toMatchObject({ status: 201, body: { contentType: "application/msword" } });
  });

  it("refuses what is not a Word or PDF document: a zip without word/document.xml, a compound file without a Word stream, text", async () => {
    const workbook = makeZip([{ name: "xl/workbook.xml", data: "<workbook/>" }]);
    for (const [name, data] of [["案例.docx", workbook], ["案例.doc", compoundFile("Workbook")], ["案例.pdf", Buffer.from("这是一段文字")]] as const) {
      const u = await upload(teacher, name, data);
      expect(u.status).toBe(422);
      expect(u.body.error).toMatchObject({ code: "FILE_REJECTED", message: expect.stringMatching(/案例文档须为Word（doc、docx）或PDF文件/) });
    }
  });

  it("submits an application whose case is the uploaded document with only its title typed; without it every section is required", async () => {
    const campaignId = await testCampaign(admin, 2036);
    const doc = await upload(teacher, "我的案例.docx", DOCX);
    const theirs = await upload(teacher2, "他的案例.pdf", PDF);
    const app = (await teacher.gql(`mutation($c: ID!) { createApplication(campaignId: $c, categoryCode: "TEACHING_SPACE") { id version } }`, { c: campaignId })).createApplication;
    const save = (f: Record<string, unknown>, v: number) =>
      teacher.raw(`mutation($id: ID!, $v: Int!, $f: ApplicationFormInput!) { saveApplicationDraft(id: $id, version: $v, form: $f) { id version form { caseDocumentFileId caseDocument { id originalName url } } } }`, { id: app.id, v, f });

    // Someone else's document is not attachable.
    const stolen = await save(fullForm("13857700001", { case: { title: "空间里的语文课" }, caseDocumentFileId: theirs.body.id }), app.version);
    expect(stolen.errors?.[0]?.extensions).toMatchObject({ code: "BAD_INPUT", field: "caseDocumentFileId" });

    // Without a document, a title alone cannot be submitted.
    const bare = (await save(fullForm("13857700001", { case: { title: "空间里的语文课" } }), app.version)).data.saveApplicationDraft;
    const refused = await teacher.raw(`mutation($id: ID!, $v: Int!) { submitApplication(id: $id, version: $v, ${CONSENT}) { id } }`, { id: app.id, v: bare.version });
    expect((refused.errors![0]!.extensions!.violations as { field: string }[]).map((v) => v.field)).toContain("case.summary");

    const saved = (await save(fullForm("13857700001", { case: { title: "空间里的语文课" }, caseDocumentFileId: doc.body.id }), bare.version)).data.saveApplicationDraft;
    expect(saved.form.caseDocument).toEqual({ id: doc.body.id, originalName: "我的案例.docx", url: `/api/files/${doc.body.id}` });
    const submitted = await review(teacher, "submitApplication", saved);
    expect(submitted.state).not.toBe("DRAFT");

    const get = (c: Client) => fetch(server.url + saved.form.caseDocument.url, { headers: { authorization: `Bearer ${c.token}` } }).then((r) => r.status);
    expect(await get(raCounty)).toBe(200);
    expect(await get(lcCounty)).toBe(404);
    expect(await get(teacher2)).toBe(404);
  });
});
