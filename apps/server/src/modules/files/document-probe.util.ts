import fs from "node:fs/promises";
import yauzl from "yauzl";

/** Bounds of the case-document check: a docx's central directory and a .doc's directory chain. */
export const DOCUMENT_PROBE_LIMITS = {
  /** Zip entries read from a .docx's central directory (Word writes a few dozen). */
  maxZipEntries: 2000,
  /** Directory sectors followed in a .doc (compound file); each holds 4 or 32 entries. */
  maxDirectorySectors: 256,
} as const;

export const DOCUMENT_TYPES = {
  pdf: "application/pdf",
  doc: "application/msword",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
} as const;

/** A .docx: a zip whose central directory lists word/document.xml (read lazily, entry count capped). */
function isDocx(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    yauzl.open(path, { lazyEntries: true, autoClose: true, strictFileNames: false }, (err, zip) => {
      if (err || !zip) return resolve(false);
      let seen = 0;
      let done = false;
      const finish = (v: boolean) => {
        if (done) return;
        done = true;
        zip.close();
        resolve(v);
      };
      zip.on("entry", (e: yauzl.Entry) => {
        if (e.fileName === "word/document.xml") return finish(true);
        if (++seen >= DOCUMENT_PROBE_LIMITS.maxZipEntries) return finish(false);
        zip.readEntry();
      });
      zip.on("end", () => finish(false));
      zip.on("error", () => finish(false));
      zip.readEntry();
    });
  });
}

const OLE2 = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const WORD_STREAM = Buffer.from("WordDocument", "utf16le");
const END_OF_CHAIN = 0xfffffffe;

/**
 * A .doc: a compound file (OLE2) whose directory holds a "WordDocument" stream (an .xls or .ppt
 * is a compound file too). Follows the directory's sector chain through the FAT with bounded reads.
 */
async function isDoc(fh: fs.FileHandle, size: number): Promise<boolean> {
  const header = Buffer.alloc(512);
  const { bytesRead } = await fh.read(header, 0, 512, 0);
  if (bytesRead < 512 || !header.subarray(0, 8).equals(OLE2)) return false;
  const shift = header.readUInt16LE(0x1e);
  if (shift !== 9 && shift !== 12) return false;
  const sectorSize = 1 << shift;
  const at = (sector: number) => (sector + 1) * sectorSize;
  // The first 109 FAT sectors are listed in the header (DIFAT); enough for files up to ~7 MB (512-byte sectors) or ~450 MB (4 KB).
  const fatSectors: number[] = [];
  for (let i = 0; i < 109; i++) fatSectors.push(header.readUInt32LE(0x4c + i * 4));
  const perFat = sectorSize / 4;
  const fatCache = new Map<number, Buffer>();
  const next = async (sector: number): Promise<number> => {
    const idx = Math.floor(sector / perFat);
    const fs_ = fatSectors[idx];
    if (fs_ === undefined || fs_ >= 0xfffffffa || at(fs_) + sectorSize > size) return END_OF_CHAIN;
    let b = fatCache.get(fs_);
    if (!b) {
      b = Buffer.alloc(sectorSize);
      await fh.read(b, 0, sectorSize, at(fs_));
      fatCache.set(fs_, b);
    }
    return b.readUInt32LE((sector % perFat) * 4);
  };
  let sector = header.readUInt32LE(0x30);
  const sectorBuf = Buffer.alloc(sectorSize);
  for (let n = 0; n < DOCUMENT_PROBE_LIMITS.maxDirectorySectors && sector < 0xfffffffa; n++) {
    if (at(sector) + sectorSize > size) return false;
    await fh.read(sectorBuf, 0, sectorSize, at(sector));
    for (let off = 0; off + 128 <= sectorSize; off += 128) {
      const nameLen = sectorBuf.readUInt16LE(off + 64);
      if (nameLen === WORD_STREAM.length + 2 && sectorBuf.subarray(off, off + WORD_STREAM.length).equals(WORD_STREAM)) return true;
    }
    sector = await next(sector);
  }
  return false;
}

/**
 * The type of a case document by its content, never its name: PDF by "%PDF-", DOCX as a zip
 * listing word/document.xml, DOC as a compound file with a WordDocument stream. Null otherwise.
 */
export async function documentType(path: string, size: number): Promise<string | null> {
  const fh = await fs.open(path, "r");
  try {
    const head = Buffer.alloc(8);
    await fh.read(head, 0, 8, 0);
    if (head.toString("latin1", 0, 5) === "%PDF-") return DOCUMENT_TYPES.pdf;
    if (head.subarray(0, 8).equals(OLE2)) return (await isDoc(fh, size)) ? DOCUMENT_TYPES.doc : null;
    if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return (await isDocx(path)) ? DOCUMENT_TYPES.docx : null;
    return null;
  } finally {
    await fh.close();
  }
}
