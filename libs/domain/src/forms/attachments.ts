import type { FieldViolation } from "../errors.js";

/** Video rules of Annex 3 (案例视频). */
export const VIDEO_RULES = {
  containers: ["mp4"] as readonly string[],
  maxDurationSec: 300,
  minWidth: 1280,
  minHeight: 720,
  aspectRatio: 16 / 9,
  /** Relative tolerance on width/height vs 16:9 (1920×1088 from encoder padding is 0.7% off). */
  aspectTolerance: 0.01,
  minBitrateBps: 2_000_000,
} as const;

/**
 * Metadata the server read from the file itself (e.g. with mp4box.js once `moov` is parsed), never
 * from its name or Content-Type. `container` is "mp4" for an ISO-BMFF file with an MP4 brand
 * (isom, mp41, mp42, avc1, …); width and height are the displayed size (rotation applied).
 */
export interface VideoMetadata {
  container: string | null;
  durationSec: number | null;
  width: number | null;
  height: number | null;
  /** Overall bitrate in bits per second. */
  bitrateBps: number | null;
}

const FIELD_VIDEO = "video";

function positive(n: number | null | undefined): n is number {
  return typeof n === "number" && Number.isFinite(n) && n > 0;
}

function formatDuration(sec: number): string {
  const whole = Math.round(sec);
  const m = Math.floor(whole / 60);
  const s = whole % 60;
  return m > 0 ? `${m}分${s}秒` : `${s}秒`;
}

function formatMbps(bps: number): string {
  return `${Number((bps / 1_000_000).toFixed(2))} Mbps`;
}

/** Violations of the video rules, each stating the actual and the required value. */
export function checkVideo(meta: VideoMetadata): FieldViolation[] {
  const R = VIDEO_RULES;
  const v: FieldViolation[] = [];
  const add = (rule: string, message: string): void => {
    v.push({ field: FIELD_VIDEO, rule, message });
  };

  const container = meta.container?.toLowerCase() ?? null;
  if (container === null || !R.containers.includes(container)) {
    add("container", `案例视频须为MP4格式，该文件为${container === null ? "无法识别的格式" : `${container.toUpperCase()}格式`}`);
  }
  if (!positive(meta.durationSec)) add("duration", "无法读取案例视频的时长，请确认文件完整");
  else if (meta.durationSec > R.maxDurationSec) {
    add("duration", `案例视频时长为${formatDuration(meta.durationSec)}，要求不超过${R.maxDurationSec / 60}分钟`);
  }

  if (!positive(meta.width) || !positive(meta.height)) add("resolution", "无法读取案例视频的分辨率，请确认文件完整");
  else {
    const { width: w, height: h } = meta;
    if (w < R.minWidth || h < R.minHeight) {
      add("resolution", `案例视频分辨率为${w}×${h}，要求不低于${R.minWidth}×${R.minHeight}`);
    }
    const ratio = w / h;
    if (Math.abs(ratio - R.aspectRatio) / R.aspectRatio > R.aspectTolerance) {
      add("aspectRatio", `案例视频画面比例为${w}∶${h}（约${ratio.toFixed(2)}∶1），要求为16∶9（约1.78∶1）`);
    }
  }

  if (!positive(meta.bitrateBps)) add("bitrate", "无法读取案例视频的码率，请确认文件完整");
  else if (meta.bitrateBps < R.minBitrateBps) {
    add("bitrate", `案例视频码率为${formatMbps(meta.bitrateBps)}，要求不低于${formatMbps(R.minBitrateBps)}`);
  }
  return v;
}

/** Photo-zip rules (图文介绍压缩包). */
export const PHOTO_ZIP_RULES = {
  imageExtensions: ["jpg", "jpeg", "png", "gif", "webp"] as readonly string[],
  /** Captions (time, place, content of the photos). */
  captionExtensions: ["txt", "docx"] as readonly string[],
  archiveExtensions: ["zip", "rar", "7z", "tar", "gz", "tgz", "bz2", "xz", "zst", "jar", "cab", "iso", "lz", "lzma", "z"] as readonly string[],
  maxEntries: 300,
  maxEntryBytes: 50 * 1024 * 1024,
  maxTotalBytes: 500 * 1024 * 1024,
  /** uncompressed/compressed per entry; photos barely compress, a zip bomb compresses a thousandfold. */
  maxCompressionRatio: 100,
  maxPathLength: 255,
} as const;

/**
 * One entry of the zip's central directory. `uncompressedSize` should be the bytes actually
 * inflated (the server stops inflating at the caps), not only the size the header claims.
 */
export interface ZipEntry {
  name: string;
  uncompressedSize: number;
  compressedSize: number;
  isDirectory: boolean;
}

const FIELD_ZIP = "photoZip";

/** Metadata files some zip tools add (macOS resource forks, Finder and Explorer caches): skipped, not refused. */
function isOsJunk(segments: string[]): boolean {
  const last = segments[segments.length - 1] ?? "";
  return segments[0] === "__MACOSX" || last === ".DS_Store" || last === "Thumbs.db" || last === "desktop.ini" || last.startsWith("._");
}

function extensionOf(name: string): string {
  const base = name.slice(name.lastIndexOf("/") + 1);
  const dot = base.lastIndexOf(".");
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : "";
}

function formatMiB(bytes: number): string {
  return `${Number((bytes / 1024 / 1024).toFixed(1))} MB`;
}

/**
 * Violations of the photo-zip rules: only images (and caption files) inside, no nested archives,
 * no absolute or "../" paths, and caps on entry count, entry size, total size and compression
 * ratio. OS metadata entries (__MACOSX/, .DS_Store, Thumbs.db) are ignored for type checks but
 * still count toward the caps, because they are inflated too.
 */
export function checkPhotoZip(entries: readonly ZipEntry[]): FieldViolation[] {
  const R = PHOTO_ZIP_RULES;
  const v: FieldViolation[] = [];
  const add = (rule: string, message: string): void => {
    v.push({ field: FIELD_ZIP, rule, message });
  };

  if (entries.length > R.maxEntries) add("entryCount", `压缩包内有${entries.length}个条目，最多允许${R.maxEntries}个`);

  let total = 0;
  let images = 0;
  for (const e of entries) {
    const name = e.name;
    const normalized = name.replace(/\\/g, "/");
    const segments = normalized.split("/").filter((s) => s !== "");
    total += Math.max(0, e.uncompressedSize);

    if (normalized.startsWith("/") || /^[A-Za-z]:/.test(normalized) || segments.includes("..")) {
      add("unsafePath", `压缩包中的“${name}”路径不安全（绝对路径或含“..”），请重新打包`);
      continue;
    }
    if (/[\u0000-\u001f]/.test(name) || [...name].length > R.maxPathLength) {
      add("badName", `压缩包中有文件名不合规的条目（含控制字符或超过${R.maxPathLength}字）`);
      continue;
    }
    if (e.isDirectory) continue;

    if (e.uncompressedSize > R.maxEntryBytes) {
      add("entrySize", `压缩包中的“${name}”解压后为${formatMiB(e.uncompressedSize)}，单个文件不能超过${formatMiB(R.maxEntryBytes)}`);
    }
    if (e.uncompressedSize > 0 && (e.compressedSize <= 0 || e.uncompressedSize / e.compressedSize > R.maxCompressionRatio)) {
      add("compressionRatio", `压缩包中的“${name}”压缩比异常（超过${R.maxCompressionRatio}倍），已拒绝`);
    }
    if (isOsJunk(segments)) continue;

    const ext = extensionOf(normalized);
    if (R.archiveExtensions.includes(ext)) add("nestedArchive", `压缩包内不能再包含压缩文件：“${name}”`);
    else if (R.imageExtensions.includes(ext)) images++;
    else if (!R.captionExtensions.includes(ext)) {
      add("fileType", `压缩包中的“${name}”类型不允许：只能包含照片（${R.imageExtensions.join("、")}）和文字说明（${R.captionExtensions.join("、")}）`);
    }
  }

  if (total > R.maxTotalBytes) add("totalSize", `压缩包解压后共${formatMiB(total)}，不能超过${formatMiB(R.maxTotalBytes)}`);
  if (images === 0) add("noImages", "压缩包中没有照片（jpg、jpeg、png、gif、webp）");
  return v;
}

/** How far the bytes present may fall short of duration × bitrate (container overhead, rounding). */
export const VIDEO_EVIDENCE_RULES = {
  bitrateTolerance: 0.05,
  /** Decoded picture size vs the track's claim, in pixels (encoders pad to 16, crop on display). */
  sizeTolerancePx: 16,
} as const;

/**
 * What the server measured in the file's bytes, beside what its tables claim: the mdat payload
 * actually present, the sum of the declared sample sizes, samples pointing outside the present
 * payload, and (when ffprobe is installed) what a decoder saw in the first frames.
 */
export interface VideoEvidence {
  durationSec: number | null;
  bitrateBps: number | null;
  width: number | null;
  height: number | null;
  codec?: string | null;
  mdatBytes?: number;
  sampleBytes?: number;
  samplesOutsideMdat?: number;
  decoded?: { codec: string | null; width: number | null; height: number | null; frames: number } | null;
}

/** The decoder name (ffprobe's codec_name) of an MP4 sample-entry codec string. */
function decoderName(codec: string): string | null {
  const fourcc = codec.split(".")[0]!.toLowerCase();
  if (fourcc === "avc1" || fourcc === "avc3") return "h264";
  if (fourcc === "hvc1" || fourcc === "hev1") return "hevc";
  if (fourcc === "av01") return "av1";
  if (fourcc === "vp09") return "vp9";
  if (fourcc === "mp4v") return "mpeg4";
  return null;
}

/**
 * Violations where the file's claims are not borne out by its bytes: the declared samples must
 * lie in the media data present (their sizes summed ≤ mdat payload, none outside it), that data
 * must cover the claimed duration at the claimed bitrate (within the tolerance), and a decoder,
 * when one ran, must see frames of the claimed codec and size.
 */
export function checkVideoEvidence(e: VideoEvidence): FieldViolation[] {
  const v: FieldViolation[] = [];
  const add = (rule: string, message: string): void => {
    v.push({ field: FIELD_VIDEO, rule, message });
  };
  if (e.mdatBytes === undefined) return v;
  const mdat = e.mdatBytes;
  if ((e.sampleBytes ?? 0) > mdat || (e.samplesOutsideMdat ?? 0) > 0) {
    add("mediaData", `案例视频的媒体数据不完整：样本表声明${formatMiB(e.sampleBytes ?? 0)}，文件中实际只有${formatMiB(mdat)}，请上传完整的视频文件`);
  } else if (positive(e.durationSec) && positive(e.bitrateBps)) {
    const needed = (e.durationSec * e.bitrateBps) / 8;
    if (mdat < needed * (1 - VIDEO_EVIDENCE_RULES.bitrateTolerance)) {
      add("mediaData", `案例视频的媒体数据只有${formatMiB(mdat)}，不足以支撑声明的${formatDuration(e.durationSec)}、${formatMbps(e.bitrateBps)}（约需${formatMiB(needed)}），请上传完整的视频文件`);
    }
  }
  const d = e.decoded;
  if (d) {
    if (d.frames === 0) add("decode", "案例视频的画面无法解码，请确认文件完整、编码为常见格式（如H.264）");
    else {
      const claimed = e.codec ? decoderName(e.codec) : null;
      if (claimed && d.codec && d.codec !== claimed) add("decode", `案例视频声明的编码为${claimed}，实际解码为${d.codec}`);
      if (positive(e.width) && positive(e.height) && positive(d.width) && positive(d.height)) {
        const tol = VIDEO_EVIDENCE_RULES.sizeTolerancePx;
        const near = (a: number, b: number) => Math.abs(a - b) <= tol;
        const same = (near(d.width, e.width) && near(d.height, e.height)) || (near(d.width, e.height) && near(d.height, e.width));
        if (!same) add("decode", `案例视频声明的分辨率为${e.width}×${e.height}，实际解码的画面为${d.width}×${d.height}`);
      }
    }
  }
  return v;
}
