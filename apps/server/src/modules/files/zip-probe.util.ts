import yauzl from "yauzl";
import { PHOTO_ZIP_RULES, type ZipEntry } from "../campaign/domain.js";

export interface ZipProbe {
  /** false when the file is not a readable zip archive at all. */
  isZip: boolean;
  entries: ZipEntry[];
  /** Entries the central directory declares (may exceed the entries read). */
  declaredEntries: number;
  encrypted: string[];
}

const GBK = (() => {
  try {
    return new TextDecoder("gbk");
  } catch {
    return null;
  }
})();

/** Entry names: UTF-8 when the zip says so (flag bit 11); otherwise GBK, as Chinese Windows writes them. */
function decodeName(raw: Buffer, flags: number): string {
  if (flags & 0x800) return raw.toString("utf8");
  if (GBK) return GBK.decode(raw);
  return raw.toString("latin1");
}

function open(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: true }, (err, zip) => (err || !zip ? reject(err) : resolve(zip))),
  );
}

/**
 * Counts the bytes an entry really inflates to, stopping at `limit` + 1: header sizes can lie
 * (zip bombs), so the caps are enforced on the bytes produced, not on the sizes declared.
 */
function inflatedBytes(zip: yauzl.ZipFile, entry: yauzl.Entry, limit: number): Promise<number> {
  return new Promise((resolve) => {
    zip.openReadStream(entry, (err, stream) => {
      if (err || !stream) return resolve(limit + 1);
      let n = 0;
      let done = false;
      const finish = (v: number) => {
        if (!done) {
          done = true;
          resolve(v);
        }
      };
      stream.on("data", (chunk: Buffer) => {
        n += chunk.length;
        if (n > limit) {
          stream.destroy();
          finish(n);
        }
      });
      stream.on("end", () => finish(n));
      // A size mismatch or corrupt data: treat as over the limit, so the entry is refused.
      stream.on("error", () => finish(Math.max(n, limit + 1)));
    });
  });
}

/**
 * Reads a zip's entries with yauzl and inflates each one, counting actual bytes, capped by the
 * photo-zip rules (entry count, entry size, total size), so a hostile archive costs at most the
 * caps to inspect. The domain's checkPhotoZip then judges the entries.
 */
export async function probeZip(path: string): Promise<ZipProbe> {
  let zip: yauzl.ZipFile;
  try {
    zip = await open(path);
  } catch {
    return { isZip: false, entries: [], declaredEntries: 0, encrypted: [] };
  }
  const R = PHOTO_ZIP_RULES;
  const entries: ZipEntry[] = [];
  const encrypted: string[] = [];
  let total = 0;
  const declared = zip.entryCount;
  await new Promise<void>((resolve) => {
    const next = () => {
      if (entries.length > R.maxEntries || total > R.maxTotalBytes) {
        zip.close();
        return resolve();
      }
      zip.readEntry();
    };
    zip.on("entry", async (e: yauzl.Entry) => {
      const name = decodeName(e.fileName as unknown as Buffer, e.generalPurposeBitFlag);
      const isDirectory = name.endsWith("/") || name.endsWith("\\");
      let size = 0;
      if (e.isEncrypted()) encrypted.push(name);
      else if (!isDirectory) size = await inflatedBytes(zip, e, Math.min(R.maxEntryBytes, R.maxTotalBytes - total));
      total += size;
      entries.push({ name, uncompressedSize: size, compressedSize: e.compressedSize, isDirectory });
      next();
    });
    zip.on("end", () => resolve());
    zip.on("error", () => resolve());
    next();
  });
  return { isZip: true, entries, declaredEntries: declared, encrypted };
}
