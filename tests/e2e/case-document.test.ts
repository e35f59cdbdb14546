import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDb } from "../support/server.js";
import { makeZip } from "../fixtures/files/generate.js";
import { acceptConsent, confirmBox, startE2E, type E2E } from "./support/browser.js";

const DOCX = makeZip([
  { name: "[Content_Types].xml", data: '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>' },
  { name: "word/document.xml", data: '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>案例</w:t></w:r></w:p></w:body></w:document>' },
]);

describeEachDb("the case uploaded as a document in the application wizard", (variant) => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E("case-document", variant);
  });
  afterAll(() => e2e?.stop());

  it("lets a teacher upload the case as a Word file, type only the title and submit", async () => {
    const page = await e2e.newPage();
    await e2e.login(page, "ra_teacher1");
    await page.getByRole("navigation", { name: "主导航" }).getByText("我的申报", { exact: true }).click();
    await page.waitForURL(/\/applications$/);
    await page.getByRole("button", { name: "新建申报" }).click();
    const dialog = page.getByRole("dialog", { name: "新建申报" });
    await dialog.getByText("优秀教学空间").click();
    await dialog.getByRole("button", { name: "创建并填写" }).click();
    await page.waitForURL(/\/applications\/\d+\/edit$/);
    await page.getByLabel("职务").fill("语文教研组长");
    await page.getByLabel("空间网址").fill("https://chenxiaoming.zjer.cn/");
    await page.getByRole("button", { name: "下一步" }).click();

    // A file that is not a document is refused by its content.
    await page.getByLabel("选择案例文档文件").setInputFiles({ name: "案例.docx", mimeType: "application/octet-stream", buffer: Buffer.from("这不是Word文件") });
    const fileError = page.getByRole("alert").filter({ hasText: "文件未通过检查" });
    await fileError.waitFor();
    expect(await fileError.textContent()).toContain("案例文档须为Word（doc、docx）或PDF文件");

    await page.getByLabel("选择案例文档文件").setInputFiles({ name: "空间阅读案例.docx", mimeType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", buffer: DOCX });
    await page.getByRole("link", { name: "空间阅读案例.docx" }).waitFor();
    await page.getByLabel("标题").fill("初中语文“空间+阅读”教学实践");
    await e2e.shot(page, "wizard-case-document");

    // Only the title typed: the case step passes with the document.
    await page.getByRole("button", { name: "下一步" }).click();
    await page.getByLabel("选择视频文件").waitFor({ state: "attached" });
    await page.getByRole("button", { name: "下一步" }).click();
    await page.getByText("以上传的案例文档「空间阅读案例.docx」为准").waitFor();
    await acceptConsent(page);
    await page.getByRole("button", { name: "提交申报" }).click();
    await confirmBox(page, "确认提交");
    await page.waitForURL(/\/applications\/\d+$/);
    await page.getByText("已提交，待审核").first().waitFor();
    await page.getByText("空间阅读案例.docx").first().waitFor();
    await page.context().close();
  });
});
