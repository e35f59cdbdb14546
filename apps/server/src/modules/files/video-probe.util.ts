import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import { createFile, MP4BoxBuffer, type Movie } from "mp4box";
import { DomainError } from "@zjh/domain";
import type { VideoMetadata } from "../campaign/domain.js";

/** ISO-BMFF brands of MP4 files (ftyp major or compatible brand). QuickTime ("qt  ") is not MP4. */
const MP4_BRANDS = new Set(["isom", "iso2", "iso3", "iso4", "iso5", "iso6", "iso7", "iso8", "iso9", "mp41", "mp42", "avc1", "M4V ", "M4VH", "M4VP", "f4v ", "dash", "mmp4", "XAVC", "msnv", "MSNV"]);

/**
 * Bounds of the video probe. A real MP4 has a handful of top-level boxes (ftyp, free, mdat,
 * moov, udta…); a fragmented one a few hundred moof/mdat pairs. The moov of a 5-minute video
 * is well under 2 MB and holds tens of thousands of samples; the caps leave a wide margin and
 * keep a hostile file to a few MB of memory and a bounded number of reads.
 */
export const VIDEO_PROBE_LIMITS = {
  maxTopLevelBoxes: 10_000,
  maxFtypBytes: 4096,
  maxMoovBytes: 16 * 1024 * 1024,
  /** Sample entries over all tracks (mp4box builds one object per sample). */
  maxSamples: 200_000,
  /** Nesting depth of container boxes inside moov. */
  maxDepth: 16,
} as const;

export interface VideoProbe extends VideoMetadata {
  codec: string | null;
  /** Bytes of media payload (mdat) actually present in the file. */
  mdatBytes?: number;
  /** Sum of the sample sizes the sample tables declare. */
  sampleBytes?: number;
  /** Samples whose bytes lie outside the mdat payload present in the file. */
  samplesOutsideMdat?: number;
  /** What ffprobe decoded, when it is installed. */
  decoded?: { codec: string | null; width: number | null; height: number | null; frames: number } | null;
}

function tooComplex(rule: string, message: string): DomainError {
  return new DomainError("FILE_REJECTED", message, "video", { violations: [{ field: "video", rule, message }] });
}

/** Reads a file at random offsets through a small window, so walking many small headers costs few reads. */
class Window {
  private buf = Buffer.alloc(0);
  private start = 0;
  reads = 0;
  constructor(private fh: fs.FileHandle, private size: number) {}
  async bytes(pos: number, n: number): Promise<Buffer> {
    if (pos >= this.start && pos + n <= this.start + this.buf.length) return this.buf.subarray(pos - this.start, pos - this.start + n);
    const len = Math.max(n, 64 * 1024);
    const b = Buffer.alloc(Math.min(len, Math.max(0, this.size - pos)));
    const { bytesRead } = await this.fh.read(b, 0, b.length, pos);
    this.reads++;
    this.buf = b.subarray(0, bytesRead);
    this.start = pos;
    return this.buf.subarray(0, Math.min(n, bytesRead));
  }
}

interface TopBox {
  type: string;
  start: number;
  headerLen: number;
  /** Declared size (to the end of file for size 0). */
  size: number;
}

/**
 * Walks the top-level box headers with bounded reads: never more than `maxTopLevelBoxes` headers,
 * never a box's body (except ftyp and moov, read later with their own caps).
 */
async function topLevelBoxes(win: Window, fileSize: number): Promise<{ boxes: TopBox[]; truncatedAt: number | null }> {
  const boxes: TopBox[] = [];
  let pos = 0;
  while (pos + 8 <= fileSize) {
    if (boxes.length >= VIDEO_PROBE_LIMITS.maxTopLevelBoxes) {
      throw tooComplex("boxCount", `案例视频的结构异常（顶层数据块超过${VIDEO_PROBE_LIMITS.maxTopLevelBoxes}个），无法检查，已拒绝`);
    }
    const h = await win.bytes(pos, 16);
    if (h.length < 8) break;
    let size = h.readUInt32BE(0);
    const type = h.toString("latin1", 4, 8);
    let headerLen = 8;
    if (size === 1) {
      if (h.length < 16) return { boxes, truncatedAt: pos };
      const big = h.readBigUInt64BE(8);
      size = big > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(big);
      headerLen = 16;
    } else if (size === 0) {
      size = fileSize - pos;
    }
    if (size < headerLen) return { boxes, truncatedAt: pos };
    boxes.push({ type, start: pos, headerLen, size });
    if (pos + size > fileSize) return { boxes, truncatedAt: pos };
    pos += size;
  }
  return { boxes, truncatedAt: pos < fileSize ? pos : null };
}

const CONTAINERS = new Set(["moov", "trak", "mdia", "minf", "stbl", "edts", "udta", "mvex", "dinf"]);

/**
 * Counts the samples the moov's sample-size tables declare (stsz/stz2), walking the moov's own
 * box tree with a depth cap, before mp4box expands each sample into an object.
 */
function declaredSamples(moov: Buffer, from: number, to: number, depth: number): number {
  if (depth > VIDEO_PROBE_LIMITS.maxDepth) throw tooComplex("boxDepth", "案例视频的结构异常（数据块嵌套过深），已拒绝");
  let total = 0;
  let pos = from;
  while (pos + 8 <= to) {
    let size = moov.readUInt32BE(pos);
    const type = moov.toString("latin1", pos + 4, pos + 8);
    let header = 8;
    if (size === 1 && pos + 16 <= to) {
      const big = moov.readBigUInt64BE(pos + 8);
      size = big > BigInt(to) ? to : Number(big);
      header = 16;
    } else if (size === 0) size = to - pos;
    if (size < header || pos + size > to) break;
    if (CONTAINERS.has(type)) total += declaredSamples(moov, pos + header, pos + size, depth + 1);
    else if ((type === "stsz" || type === "stz2") && pos + 20 <= to) total += moov.readUInt32BE(pos + 16);
    pos += size;
  }
  return total;
}

/** Sums the samples of every track against the byte ranges of the mdat payload present in the file. */
function sampleEvidence(file: ReturnType<typeof createFile>, mdats: Array<[number, number]>): { sampleBytes: number; outside: number } {
  let sampleBytes = 0;
  let outside = 0;
  const traks = (file as unknown as { moov?: { traks?: Array<{ samples?: Array<{ offset: number; size: number }> }> } }).moov?.traks ?? [];
  for (const t of traks) {
    for (const s of t.samples ?? []) {
      sampleBytes += s.size;
      const end = s.offset + s.size;
      if (!mdats.some(([a, b]) => s.offset >= a && end <= b)) outside++;
    }
  }
  return { sampleBytes, outside };
}

/** Where ffprobe is, if installed (FFPROBE_PATH, or `ffprobe` on PATH); probed once. */
let ffprobePath: Promise<string | null> | null = null;
function findFfprobe(): Promise<string | null> {
  ffprobePath ??= new Promise((resolve) => {
    const cand = process.env.FFPROBE_PATH || "ffprobe";
    if (process.env.FFPROBE_PATH === "off") return resolve(null);
    execFile(cand, ["-version"], { timeout: 5000 }, (err) => resolve(err ? null : cand));
  });
  return ffprobePath;
}

/**
 * Decodes the first frames of the first video stream with ffprobe (bounded by a timeout and an
 * output cap): the codec and picture size the decoder sees, and how many frames it decoded.
 * Null when ffprobe is not installed; { frames: 0 } when it ran and could not decode a frame.
 */
async function ffprobeFirstFrames(path: string): Promise<VideoProbe["decoded"]> {
  const bin = await findFfprobe();
  if (!bin) return null;
  const args = ["-v", "error", "-select_streams", "v:0", "-read_intervals", "%+#3", "-show_entries", "stream=codec_name,width,height:frame=width,height", "-of", "json", path];
  return new Promise((resolve) => {
    execFile(bin, args, { timeout: 20_000, maxBuffer: 1024 * 1024 }, (err, stdout) => {
      try {
        const j = JSON.parse(String(stdout || "{}")) as { streams?: Array<{ codec_name?: string; width?: number; height?: number }>; frames?: Array<{ width?: number; height?: number }> };
        const s = j.streams?.[0];
        const frames = (j.frames ?? []).filter((f) => f.width && f.height);
        resolve({ codec: s?.codec_name ?? null, width: frames[0]?.width ?? s?.width ?? null, height: frames[0]?.height ?? s?.height ?? null, frames: err ? 0 : frames.length });
      } catch {
        resolve({ codec: null, width: null, height: null, frames: 0 });
      }
    });
  });
}

/**
 * Reads a video's metadata from the file itself, with bounded memory and reads: the top-level
 * box headers are walked here (at most `maxTopLevelBoxes`), only `ftyp` and `moov` (each
 * size-capped, with the declared sample count capped before parsing) go to mp4box.js, which
 * reads brands, duration, displayed size (rotation applied), codec and bitrate. The media data
 * present (mdat payload within the file) is measured against what the sample tables claim, and
 * ffprobe, when installed, decodes the first frames. Throws FILE_REJECTED for a file beyond the
 * bounds.
 */
export async function probeVideo(path: string, size: number): Promise<VideoProbe> {
  const empty = { container: null, durationSec: null, width: null, height: null, bitrateBps: null, codec: null };
  const fh = await fs.open(path, "r");
  try {
    const head = Buffer.alloc(12);
    await fh.read(head, 0, 12, 0);
    if (head.toString("latin1", 4, 8) !== "ftyp") {
      const riff = head.toString("latin1", 0, 4);
      const other = riff === "RIFF" ? "avi" : head[0] === 0x1a && head[1] === 0x45 ? "mkv/webm" : head.toString("latin1", 0, 3) === "FLV" ? "flv" : null;
      return { ...empty, container: other };
    }
    const win = new Window(fh, size);
    const { boxes } = await topLevelBoxes(win, size);
    const ftyp = boxes[0]!;
    const moovs = boxes.filter((b) => b.type === "moov");
    if (ftyp.size > VIDEO_PROBE_LIMITS.maxFtypBytes) throw tooComplex("boxSize", "案例视频的文件头（ftyp）异常，已拒绝");
    if (moovs.length > 1) throw tooComplex("moov", "案例视频中有多个影片信息块（moov），文件结构异常，已拒绝");
    const moovBox = moovs[0];
    if (!moovBox || moovBox.start + moovBox.size > size) return { ...empty, container: "mp4" };
    if (moovBox.size > VIDEO_PROBE_LIMITS.maxMoovBytes) {
      throw tooComplex("moovSize", `案例视频的影片信息块（moov）超过${VIDEO_PROBE_LIMITS.maxMoovBytes / 1024 / 1024} MB，结构异常，已拒绝`);
    }
    const ftypBuf = Buffer.alloc(ftyp.size);
    await fh.read(ftypBuf, 0, ftyp.size, 0);
    const moovBuf = Buffer.alloc(moovBox.size);
    await fh.read(moovBuf, 0, moovBox.size, moovBox.start);
    const samples = declaredSamples(moovBuf, moovBox.headerLen, moovBox.size, 0);
    if (samples > VIDEO_PROBE_LIMITS.maxSamples) {
      throw tooComplex("sampleCount", `案例视频声明了${samples}个媒体样本，超过上限${VIDEO_PROBE_LIMITS.maxSamples}个，结构异常，已拒绝`);
    }
    // The payload of every mdat, clamped to the bytes the file really has.
    const mdats: Array<[number, number]> = boxes.filter((b) => b.type === "mdat").map((b) => [b.start + b.headerLen, Math.min(b.start + b.size, size)]);
    const mdatBytes = mdats.reduce((s, [a, b]) => s + Math.max(0, b - a), 0);

    const file = createFile();
    let info: Movie | null = null;
    let failed = false;
    file.onReady = (m: Movie) => {
      info = m;
    };
    file.onError = () => {
      failed = true;
    };
    // ftyp then moov as one contiguous stream (mp4box waits for the bytes after a box before
    // looking further). Sample offsets come from the moov's chunk tables, so they stay those of
    // the real file wherever the moov is fed.
    const feed = (b: Buffer, at: number) => file.appendBuffer(MP4BoxBuffer.fromArrayBuffer(b.buffer.slice(b.byteOffset, b.byteOffset + b.length) as ArrayBuffer, at));
    try {
      feed(ftypBuf, 0);
      feed(moovBuf, ftypBuf.length);
      file.flush();
    } catch {
      failed = true;
    }
    const movie = info as Movie | null;
    if (!movie) return { ...empty, container: failed ? null : "mp4" };
    const brands = movie.brands ?? [];
    const container = brands.some((b) => MP4_BRANDS.has(b)) ? "mp4" : brands.includes("qt  ") ? "mov" : (brands[0]?.trim() || null);
    const trackSeconds = movie.tracks.map((t) => (t.timescale ? t.samples_duration / t.timescale : 0));
    const movieSeconds = movie.timescale ? movie.duration / movie.timescale : 0;
    const durationSec = Math.max(movieSeconds, ...trackSeconds, 0) || null;
    const videos = movie.videoTracks.length ? movie.videoTracks : movie.tracks.filter((t) => t.video);
    let width: number | null = null;
    let height: number | null = null;
    let codec: string | null = null;
    for (const t of videos) {
      let w = t.track_width || t.video?.width || 0;
      let h = t.track_height || t.video?.height || 0;
      const m = t.matrix ? Array.from(t.matrix as ArrayLike<number>) : [];
      // A 90° or 270° rotation matrix has a zero on the diagonal: the picture shows turned.
      if (m.length >= 5 && m[0] === 0 && m[4] === 0 && m[1] !== 0) [w, h] = [h, w];
      if (w * h > (width ?? 0) * (height ?? 0)) {
        width = Math.round(w);
        height = Math.round(h);
        codec = t.codec ?? null;
      }
    }
    const { sampleBytes, outside } = sampleEvidence(file, mdats);
    // A plain MP4: the bitrate its sample tables declare (checked against the bytes present by
    // checkVideoEvidence). A fragmented one (samples in moof boxes, not read here): the bytes of
    // media data actually present over the duration.
    const trackBits = movie.tracks.reduce((s, t) => s + (Number.isFinite(t.bitrate) ? t.bitrate : 0), 0);
    const bitrateBps = trackBits > 0 ? Math.round(trackBits) : durationSec ? Math.round((mdatBytes * 8) / durationSec) : null;
    const decoded = container === "mp4" && width ? await ffprobeFirstFrames(path) : null;
    return { container, durationSec, width, height, bitrateBps, codec, mdatBytes, sampleBytes, samplesOutsideMdat: outside, decoded };
  } finally {
    await fh.close();
  }
}
