import fs from "node:fs/promises";
import { createFile, MP4BoxBuffer, type Movie } from "mp4box";
import type { VideoMetadata } from "../campaign/domain.js";

/** ISO-BMFF brands of MP4 files (ftyp major or compatible brand). QuickTime ("qt  ") is not MP4. */
const MP4_BRANDS = new Set(["isom", "iso2", "iso3", "iso4", "iso5", "iso6", "iso7", "iso8", "iso9", "mp41", "mp42", "avc1", "M4V ", "M4VH", "M4VP", "f4v ", "dash", "mmp4", "XAVC", "msnv", "MSNV"]);

const CHUNK = 1 << 20;

/**
 * Reads a video's metadata from the file itself with mp4box.js: brands from `ftyp`, duration,
 * displayed size (track header, rotation applied) and bitrate from `moov`. Only the boxes mp4box
 * asks for are read (it skips `mdat` by telling where to continue), so large files cost little.
 */
export async function probeVideo(path: string, size: number): Promise<VideoMetadata & { codec: string | null }> {
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
    const file = createFile();
    let info: Movie | null = null;
    let failed = false;
    file.onReady = (m: Movie) => {
      info = m;
    };
    file.onError = () => {
      failed = true;
    };
    let pos = 0;
    const buf = Buffer.alloc(CHUNK);
    while (!info && !failed && pos < size) {
      const { bytesRead } = await fh.read(buf, 0, CHUNK, pos);
      if (bytesRead <= 0) break;
      const ab = MP4BoxBuffer.fromArrayBuffer(buf.buffer.slice(buf.byteOffset, buf.byteOffset + bytesRead), pos);
      const next = file.appendBuffer(ab);
      // mp4box answers where the next needed byte is; past `mdat` it jumps ahead.
      pos = Math.max(pos + bytesRead, typeof next === "number" ? next : 0);
    }
    file.flush();
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
    const trackBits = movie.tracks.reduce((s, t) => s + (Number.isFinite(t.bitrate) ? t.bitrate : 0), 0);
    const bitrateBps = trackBits > 0 ? Math.round(trackBits) : durationSec ? Math.round((size * 8) / durationSec) : null;
    return { container, durationSec, width, height, bitrateBps, codec };
  } finally {
    await fh.close();
  }
}
