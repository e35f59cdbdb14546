import { flushPromises, mount } from "@vue/test-utils";
import { describe, expect, it } from "vitest";
import FileUpload, { type UploadedFileRef } from "./FileUpload.vue";

const VIDEO: UploadedFileRef = { id: "7", originalName: "课堂实录.mp4", size: 2_621_440, url: "/api/files/7" };

function mountUpload(props: Partial<InstanceType<typeof FileUpload>["$props"]> = {}) {
  return mount(FileUpload, { props: { modelValue: null, purpose: "VIDEO", label: "视频", accept: "video/mp4", hint: "MP4，不超过 500MB", ...props } });
}

describe("FileUpload", () => {
  it("without a file: an upload button named after the file, a labelled file input and the hint", () => {
    const w = mountUpload();
    expect(w.find(".current").exists()).toBe(false);
    expect(w.find("button").text()).toBe("上传视频");
    const input = w.find("input[type=file]");
    expect(input.attributes("aria-label")).toBe("选择视频文件");
    expect(input.attributes("accept")).toBe("video/mp4");
    expect(w.text()).toContain("MP4，不超过 500MB");
  });

  it("with a file: its name as a download link, its size, and re-upload and remove", () => {
    const w = mountUpload({ modelValue: VIDEO });
    const link = w.find(".current a");
    expect(link.text()).toBe("课堂实录.mp4");
    expect(link.attributes("download")).toBe("课堂实录.mp4");
    expect(link.attributes("href")).toContain("/api/files/7");
    expect(w.find(".current").text()).toContain("2.5");
    expect(w.findAll("button").map((b) => b.text())).toEqual(["移除", "重新上传视频"]);
  });

  it("remove clears the value", async () => {
    const w = mountUpload({ modelValue: VIDEO });
    await w.find("button[aria-label='移除视频']").trigger("click");
    expect(w.emitted("update:modelValue")).toEqual([[null]]);
  });

  it("the upload button opens the file chooser", async () => {
    const w = mountUpload();
    let opened = 0;
    (w.find("input[type=file]").element as HTMLInputElement).click = () => void opened++;
    await w.find("button").trigger("click");
    expect(opened).toBe(1);
  });

  it("read-only: the file without re-upload or remove, and no file input", () => {
    const w = mountUpload({ modelValue: VIDEO, disabled: true });
    expect(w.find(".current a").text()).toBe("课堂实录.mp4");
    expect(w.findAll("button")).toHaveLength(0);
    expect(w.find("input[type=file]").exists()).toBe(false);
  });

  it("choosing no file sends nothing", async () => {
    const w = mountUpload();
    await w.find("input[type=file]").trigger("change");
    await flushPromises();
    expect(w.emitted("update:modelValue")).toBeUndefined();
    expect(w.find(".progress").exists()).toBe(false);
  });
});
