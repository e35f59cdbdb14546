import { describe, expect, it } from "vitest";
import { checkPhotoZip, checkVideo, checkVideoEvidence, PHOTO_ZIP_RULES, type VideoMetadata, type ZipEntry } from "./attachments.js";

const good: VideoMetadata = { container: "mp4", durationSec: 240, width: 1920, height: 1080, bitrateBps: 4_000_000 };
const rules = (v: { rule: string }[]) => v.map((x) => x.rule);

describe("checkVideo", () => {
  it.each<[string, Partial<VideoMetadata>]>([
    ["1080p, 4 minutes, 4 Mbps", {}],
    ["exactly 5 minutes", { durationSec: 300 }],
    ["exactly 1280×720", { width: 1280, height: 720 }],
    ["exactly 2 Mbps", { bitrateBps: 2_000_000 }],
    ["1920×1088 encoder padding", { width: 1920, height: 1088 }],
    ["1366×768", { width: 1366, height: 768 }],
    ["upper-case container", { container: "MP4" }],
  ])("accepts %s", (_n, over) => {
    expect(checkVideo({ ...good, ...over })).toEqual([]);
  });

  it.each<[string, Partial<VideoMetadata>, string[], string]>([
    ["a MOV", { container: "mov" }, ["container"], "案例视频须为MP4格式，该文件为MOV格式"],
    ["an unreadable container", { container: null }, ["container"], "案例视频须为MP4格式，该文件为无法识别的格式"],
    ["5 minutes 12 seconds", { durationSec: 312 }, ["duration"], "案例视频时长为5分12秒，要求不超过5分钟"],
    ["720×480", { width: 720, height: 480 }, ["resolution", "aspectRatio"], "案例视频分辨率为720×480，要求不低于1280×720"],
    ["1280×960 (4:3)", { width: 1280, height: 960 }, ["aspectRatio"], "案例视频画面比例为1280∶960（约1.33∶1），要求为16∶9（约1.78∶1）"],
    ["portrait 1080×1920", { width: 1080, height: 1920 }, ["resolution", "aspectRatio"], "案例视频分辨率为1080×1920，要求不低于1280×720"],
    ["1.5 Mbps", { bitrateBps: 1_500_000 }, ["bitrate"], "案例视频码率为1.5 Mbps，要求不低于2 Mbps"],
    ["no duration", { durationSec: null }, ["duration"], "无法读取案例视频的时长，请确认文件完整"],
    ["a zero size", { width: 0 }, ["resolution"], "无法读取案例视频的分辨率，请确认文件完整"],
    ["no bitrate", { bitrateBps: Number.NaN }, ["bitrate"], "无法读取案例视频的码率，请确认文件完整"],
  ])("refuses %s", (_n, over, expected, firstMessage) => {
    const v = checkVideo({ ...good, ...over });
    expect(rules(v)).toEqual(expected);
    expect(v[0]!.message).toBe(firstMessage);
    expect(v.every((x) => x.field === "video")).toBe(true);
  });

  it("reports every problem at once", () => {
    expect(rules(checkVideo({ container: "avi", durationSec: 600, width: 640, height: 480, bitrateBps: 800_000 }))).toEqual([
      "container", "duration", "resolution", "aspectRatio", "bitrate",
    ]);
  });
});

const photo = (name: string, size = 3_000_000, compressed = 2_900_000): ZipEntry => ({ name, uncompressedSize: size, compressedSize: compressed, isDirectory: false });
const dir = (name: string): ZipEntry => ({ name, uncompressedSize: 0, compressedSize: 0, isDirectory: true });

describe("checkPhotoZip", () => {
  it("accepts photos in folders with captions", () => {
    expect(checkPhotoZip([dir("活动照片/"), photo("活动照片/01.JPG"), photo("活动照片/02.png"), photo("03.webp"), photo("说明.txt", 2_000, 900), photo("说明.docx", 20_000, 15_000)])).toEqual([]);
  });

  it("ignores macOS and Windows metadata entries", () => {
    expect(checkPhotoZip([photo("a.jpg"), photo("__MACOSX/._a.jpg", 4_000, 100), photo(".DS_Store", 6_000, 200), photo("Thumbs.db", 10_000, 2_000)])).toEqual([]);
  });

  it.each<[string, ZipEntry[], string]>([
    ["a path escaping the folder", [photo("a.jpg"), photo("../../etc/cron.d/x.jpg")], "unsafePath"],
    ["a Windows-style escape", [photo("a.jpg"), photo("photos\\..\\..\\x.jpg")], "unsafePath"],
    ["an absolute path", [photo("a.jpg"), photo("/etc/passwd")], "unsafePath"],
    ["a drive letter", [photo("a.jpg"), photo("C:/Windows/x.jpg")], "unsafePath"],
    ["a control character in a name", [photo("a.jpg"), photo("b\u0000.jpg")], "badName"],
    ["a nested zip", [photo("a.jpg"), photo("more.zip")], "nestedArchive"],
    ["a nested rar", [photo("a.jpg"), photo("more.RAR")], "nestedArchive"],
    ["an executable", [photo("a.jpg"), photo("setup.exe")], "fileType"],
    ["a photo disguised only by a double extension", [photo("a.jpg"), photo("a.jpg.exe")], "fileType"],
    ["a file without extension", [photo("a.jpg"), photo("README")], "fileType"],
    ["a zip bomb entry", [photo("a.jpg"), photo("bomb.jpg", 40_000_000, 10_000)], "compressionRatio"],
    ["a non-empty entry claiming zero compressed bytes", [photo("a.jpg"), photo("b.jpg", 1000, 0)], "compressionRatio"],
    ["a huge photo", [photo("huge.png", 60 * 1024 * 1024, 59 * 1024 * 1024)], "entrySize"],
    ["no photo at all", [photo("说明.txt", 100, 90)], "noImages"],
    ["an empty zip", [], "noImages"],
  ])("refuses %s", (_n, entries, rule) => {
    const v = checkPhotoZip(entries);
    expect(rules(v)).toContain(rule);
    expect(v.every((x) => x.field === "photoZip")).toBe(true);
  });

  it("caps the number of entries", () => {
    const many = Array.from({ length: PHOTO_ZIP_RULES.maxEntries + 1 }, (_, i) => photo(`${i}.jpg`, 1000, 900));
    expect(rules(checkPhotoZip(many))).toEqual(["entryCount"]);
    expect(checkPhotoZip(many.slice(1))).toEqual([]);
  });

  it("caps the total unpacked size, metadata entries included", () => {
    const big = Array.from({ length: 11 }, (_, i) => photo(`${i}.jpg`, 48 * 1024 * 1024, 47 * 1024 * 1024));
    const v = checkPhotoZip(big);
    expect(rules(v)).toEqual(["totalSize"]);
    expect(v[0]!.message).toBe("压缩包解压后共528 MB，不能超过500 MB");
  });

  it("names the offending entry", () => {
    expect(checkPhotoZip([photo("a.jpg"), photo("../x.jpg")])[0]!.message).toBe("压缩包中的“../x.jpg”路径不安全（绝对路径或含“..”），请重新打包");
  });
});

describe("checkVideoEvidence", () => {
  const claim = { durationSec: 10, bitrateBps: 2_500_000, width: 1280, height: 720, codec: "avc1.64001f" };
  const rulesOf = (v: { rule: string }[]) => v.map((x) => x.rule);

  it("accepts a file whose media data covers the claimed duration at the claimed rate", () => {
    expect(checkVideoEvidence({ ...claim, mdatBytes: 3_125_000, sampleBytes: 3_125_000, samplesOutsideMdat: 0 })).toEqual([]);
  });

  it("refuses sample tables that claim more bytes than the file holds, or samples outside it", () => {
    const v = checkVideoEvidence({ ...claim, mdatBytes: 600, sampleBytes: 3_125_000, samplesOutsideMdat: 0 });
    expect(rulesOf(v)).toEqual(["mediaData"]);
    expect(v[0]!.message).toMatch(/实际只有/);
    expect(rulesOf(checkVideoEvidence({ ...claim, mdatBytes: 3_200_000, sampleBytes: 3_125_000, samplesOutsideMdat: 3 }))).toEqual(["mediaData"]);
  });

  it("refuses media data short of duration × bitrate beyond the tolerance", () => {
    expect(rulesOf(checkVideoEvidence({ ...claim, mdatBytes: 2_000_000, sampleBytes: 1_000, samplesOutsideMdat: 0 }))).toEqual(["mediaData"]);
    expect(checkVideoEvidence({ ...claim, mdatBytes: 3_000_000, sampleBytes: 1_000, samplesOutsideMdat: 0 })).toEqual([]);
  });

  it("checks what a decoder saw when one ran", () => {
    const ok = { ...claim, mdatBytes: 3_125_000, sampleBytes: 3_125_000, samplesOutsideMdat: 0 };
    expect(checkVideoEvidence({ ...ok, decoded: { codec: "h264", width: 1280, height: 720, frames: 3 } })).toEqual([]);
    expect(rulesOf(checkVideoEvidence({ ...ok, decoded: { codec: null, width: null, height: null, frames: 0 } }))).toEqual(["decode"]);
    expect(rulesOf(checkVideoEvidence({ ...ok, decoded: { codec: "h264", width: 320, height: 240, frames: 3 } }))).toEqual(["decode"]);
    expect(rulesOf(checkVideoEvidence({ ...ok, decoded: { codec: "hevc", width: 1280, height: 720, frames: 3 } }))).toEqual(["decode"]);
  });

  it("has nothing to say without measurements (not an MP4)", () => {
    expect(checkVideoEvidence({ ...claim })).toEqual([]);
  });
});
