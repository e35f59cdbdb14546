import { StringDecoder } from "node:string_decoder";

/**
 * Splits a byte stream into numbered lines exactly as the scoring command reads a file: lines end
 * at "\n", "\r\n" or a lone "\r"; numbers are 1-based; a UTF-8 byte order mark at the very start
 * is dropped. Memory stays bounded by the longest line, whatever the file size.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder("utf8");
  private carry = "";
  private lineNo = 0;

  /**
   * `maxLineChars`: a line longer than this (or text that has not ended a line by then) throws
   * `tooLong(lineNo)`, so a file without line breaks cannot grow one string without bound.
   */
  constructor(private readonly maxLineChars = Infinity, private readonly tooLong: (lineNo: number) => Error = (n) => new Error(`line ${n} is too long`)) {}

  /** Feeds bytes; calls `onLine` for every complete line. */
  push(chunk: Buffer, onLine: (text: string, lineNo: number) => void): void {
    this.text(this.decoder.write(chunk), onLine, false);
  }

  /** Ends the input: the text after the last line break is the last line. */
  end(onLine: (text: string, lineNo: number) => void): void {
    this.text(this.decoder.end(), onLine, true);
  }

  get lines(): number {
    return this.lineNo;
  }

  private emit(text: string, onLine: (text: string, lineNo: number) => void): void {
    if (text.length > this.maxLineChars) throw this.tooLong(this.lineNo + 1);
    const n = ++this.lineNo;
    onLine(n === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, n);
  }

  private text(chunk: string, onLine: (text: string, lineNo: number) => void, final: boolean): void {
    const text = this.carry.length > 0 ? this.carry + chunk : chunk;
    // A chunk ending in "\r" may be the first half of "\r\n": decide when more text arrives.
    let end = text.length;
    if (!final && end > 0 && text.charCodeAt(end - 1) === 13) end--;
    let start = 0;
    if (text.indexOf("\r") === -1) {
      for (let nl = text.indexOf("\n"); nl !== -1; nl = text.indexOf("\n", start)) {
        this.emit(text.slice(start, nl), onLine);
        start = nl + 1;
      }
      end = 0;
    }
    for (let i = start; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) {
        this.emit(text.slice(start, i), onLine);
        start = i + 1;
      } else if (c === 13) {
        this.emit(text.slice(start, i), onLine);
        if (i + 1 < end && text.charCodeAt(i + 1) === 10) i++;
        start = i + 1;
      }
    }
    this.carry = text.slice(start);
    if (this.carry.length > this.maxLineChars) throw this.tooLong(this.lineNo + 1);
    if (final && this.carry.length > 0) {
      this.emit(this.carry, onLine);
      this.carry = "";
    }
  }
}
