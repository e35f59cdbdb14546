import fs from "node:fs";
import yauzl from "yauzl";
import { DomainError } from "@zjh/domain";

/**
 * Bounds of an .xlsx import, checked on the bytes actually inflated before the workbook reader
 * runs: a 1 MB workbook can hold gigabytes of XML or tens of millions of shared strings, which
 * the reader would keep in memory. A legitimate list of a million teachers is about 500 MB of XML
 * with a few million distinct strings; the caps leave room above that.
 */
export const XLSX_LIMITS = {
  maxEntries: 1000,
  /** Inflated bytes of one zip entry, and of all of them. */
  maxEntryBytes: 1024 * 1024 * 1024,
  maxTotalBytes: 1536 * 1024 * 1024,
  /** xl/sharedStrings.xml: inflated bytes and `<si>` count (also ≤ 50,000 + the file's bytes ÷ 4). */
  maxSharedStringsBytes: 128 * 1024 * 1024,
  maxSharedStrings: 2_000_000,
  /** Longest text between two tags (one cell's text), bytes. */
  maxTextBytes: 64 * 1024,
  /** Rows read from the sheet (blank ones included) and columns per row. */
  maxRows: 1_100_000,
  maxColumns: 256,
} as const;

export function xlsxRefused(message: string): DomainError {
  return new DomainError("FILE_REJECTED", message, "file");
}

function open(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, validateEntrySizes: true, autoClose: false, strictFileNames: false }, (err, zip) => (err || !zip ? reject(err) : resolve(zip))),
  );
}

interface EntryScan {
  bytes: number;
  /** Occurrences of `<si>` / `<si ` (shared-string items). */
  items: number;
}

/** Inflates one entry counting bytes, shared-string items and the longest text run; stops at the caps. */
function scanEntry(zip: yauzl.ZipFile, e: yauzl.Entry, cap: number, countItems: boolean, itemCap: number): Promise<EntryScan> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(e, (err, stream) => {
      if (err || !stream) return reject(xlsxRefused("无法读取该 Excel 文件，请确认是 .xlsx 格式且未加密"));
      let bytes = 0;
      let items = 0;
      let run = 0;
      // The last bytes of the previous chunk, so a tag split between chunks is still counted.
      let tail = "";
      let done = false;
      const stop = (error: DomainError | null) => {
        if (done) return;
        done = true;
        stream.destroy();
        if (error) reject(error);
        else resolve({ bytes, items });
      };
      stream.on("data", (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > cap) return stop(xlsxRefused(`Excel 文件中的「${e.fileName}」解压后超过${Math.round(cap / 1024 / 1024)} MB，文件异常，请检查后重新上传`));
        let from = 0;
        for (let i = chunk.indexOf(0x3c); i >= 0; i = chunk.indexOf(0x3c, i + 1)) {
          run += i - from;
          if (run > XLSX_LIMITS.maxTextBytes) return stop(xlsxRefused(`Excel 文件中有单元格内容超过${XLSX_LIMITS.maxTextBytes / 1024} KB，文件异常，请检查后重新上传`));
          run = 0;
          from = i;
        }
        run += chunk.length - from;
        if (run > XLSX_LIMITS.maxTextBytes) return stop(xlsxRefused(`Excel 文件中有单元格内容超过${XLSX_LIMITS.maxTextBytes / 1024} KB，文件异常，请检查后重新上传`));
        if (countItems) {
          const text = tail + chunk.toString("latin1");
          const m = text.match(/<si[\s>/]/g);
          items += m ? m.length : 0;
          // Keep up to 3 bytes: a tag "<si" + delimiter is 4 bytes, never counted twice.
          tail = text.slice(-3);
          if (items > itemCap) return stop(xlsxRefused(`Excel 文件中的共享字符串超过${itemCap}个，文件异常，请检查后重新上传`));
        }
      });
      stream.on("end", () => stop(null));
      stream.on("error", () => stop(xlsxRefused("Excel 文件已损坏（压缩数据与声明的大小不符），请检查后重新上传")));
    });
  });
}

/**
 * Checks an .xlsx before it is parsed: at most `maxEntries` zip entries, every entry inflated
 * (counting the bytes produced, not the sizes declared) within the caps, the shared strings
 * within their count and size, no text run longer than one cell may be; and the local entries
 * lie back to back as the central directory lists them, so a streaming reader of the local
 * headers sees exactly the entries checked here. Throws FILE_REJECTED with the reason.
 */
export async function checkXlsxBounds(path: string): Promise<void> {
  const fileBytes = (await fs.promises.stat(path)).size;
  let zip: yauzl.ZipFile;
  try {
    zip = await open(path);
  } catch {
    throw xlsxRefused("无法读取该 Excel 文件，请确认是 .xlsx 格式且未加密");
  }
  const L = XLSX_LIMITS;
  try {
    if (zip.entryCount > L.maxEntries) throw xlsxRefused(`Excel 文件包含${zip.entryCount}个部件，超过上限${L.maxEntries}个，文件异常`);
    const itemCap = Math.min(L.maxSharedStrings, 50_000 + Math.floor(fileBytes / 4));
    const spans: Array<[number, number]> = [];
    let total = 0;
    let seen = 0;
    const fh = await fs.promises.open(path, "r");
    try {
      await new Promise<void>((resolve, reject) => {
        zip.on("entry", (e: yauzl.Entry) => {
          void (async () => {
            if (++seen > L.maxEntries) throw xlsxRefused(`Excel 文件包含的部件超过上限${L.maxEntries}个，文件异常`);
            if (e.isEncrypted()) throw xlsxRefused("该 Excel 文件已加密，请去掉密码后重新上传");
            const local = Buffer.alloc(30);
            await fh.read(local, 0, 30, e.relativeOffsetOfLocalHeader);
            if (local.readUInt32LE(0) !== 0x04034b50) throw xlsxRefused("Excel 文件已损坏，请检查后重新上传");
            const dataStart = e.relativeOffsetOfLocalHeader + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
            spans.push([e.relativeOffsetOfLocalHeader, dataStart + e.compressedSize]);
            const shared = e.fileName === "xl/sharedStrings.xml";
            const cap = Math.min(shared ? L.maxSharedStringsBytes : L.maxEntryBytes, L.maxTotalBytes - total);
            if (e.uncompressedSize > cap) throw xlsxRefused(`Excel 文件中的「${e.fileName}」解压后超过${Math.round(cap / 1024 / 1024)} MB，文件异常，请检查后重新上传`);
            const scan = await scanEntry(zip, e, cap, shared, itemCap);
            total += scan.bytes;
            zip.readEntry();
          })().catch(reject);
        });
        zip.on("end", () => resolve());
        zip.on("error", () => reject(xlsxRefused("无法读取该 Excel 文件，请确认是 .xlsx 格式且未加密")));
        zip.readEntry();
      });
    } finally {
      await fh.close();
    }
    // Back to back: each entry's data (plus a data descriptor of at most 24 bytes) ends where the next begins.
    spans.sort((a, b) => a[0] - b[0]);
    let at = 0;
    for (const [start, end] of spans) {
      if (start < at || start - at > 24) throw xlsxRefused("Excel 文件的压缩结构异常（存在未登记或重叠的部件），请用 Excel 另存后重新上传");
      at = end;
    }
  } finally {
    zip.close();
  }
}
