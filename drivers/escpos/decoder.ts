// Incremental ESC/POS stream decoder used by the printer emulator (and by tests to read back
// what a driver sent). It understands the commands our encoder and receiptline emit and
// skips unknown ones by their documented length; unknown bytes never throw.
//
// Whatever the bytes, every step moves forward and the held-back buffer stays small: the
// printer emulator listens on the store LAN, so a length field is untrusted input. Raster
// images (GS v 0, GS 8 L) can declare up to 4 GB, so their data is discarded as it arrives
// instead of being waited for in one buffer; a NUL-terminated barcode longer than a printer
// accepts is given up on. (A GS 8 L length with its top bit set once read as negative and sent
// the cursor backwards: minutes of CPU, or an endless loop — docs/fuzzing.md.)
import iconv from 'iconv-lite';

export type EscPosOp =
  | { op: 'init' }
  | { op: 'text'; text: string }
  | { op: 'lf' }
  | { op: 'feed'; lines: number }
  | { op: 'align'; n: number }
  | { op: 'size'; n: number }
  | { op: 'bold'; on: boolean }
  | { op: 'position'; dots: number; relative: boolean }
  | { op: 'codepage'; n: number }
  | { op: 'chinese'; on: boolean }
  | { op: 'cut'; partial: boolean }
  | { op: 'drawer'; pin: 2 | 5; onMs: number; offMs: number }
  | { op: 'qr'; data: string }
  | { op: 'barcode'; data: string }
  | { op: 'image'; width: number; height: number }
  | { op: 'realtime-status'; n: number }
  | { op: 'asb'; mask: number }
  | { op: 'paper-status' }
  | { op: 'other'; bytes: number[] };

const ESC = 0x1b,
  GS = 0x1d,
  FS = 0x1c,
  DLE = 0x10;
/** Longest barcode data a printer takes for GS k m (m 0–6); a longer run has no terminator coming. */
const MAX_BARCODE_DATA = 255;

export class EscPosDecoder {
  private buf: Buffer = Buffer.alloc(0);
  private chinese = false;
  private qrStore = '';
  /** Bytes of a long raster image still to come; they are dropped as they arrive. */
  private discard = 0;

  /** Feeds bytes; returns every complete op. Incomplete commands wait for more bytes. */
  push(chunk: Uint8Array): EscPosOp[] {
    if (this.discard > 0) {
      const n = Math.min(this.discard, chunk.length);
      this.discard -= n;
      chunk = chunk.subarray(n);
    }
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : Buffer.from(chunk);
    const ops: EscPosOp[] = [];
    let i = 0;
    const b = this.buf;
    while (i < b.length) {
      const used = this.one(b, i, ops);
      if (used <= 0) break; // need more bytes (never step back, whatever a length field says)
      i += used;
    }
    this.buf = b.subarray(i);
    return ops;
  }

  /** Bytes held back waiting for the rest of a command. */
  get pending(): number {
    return this.buf.length;
  }

  reset(): void {
    this.buf = Buffer.alloc(0);
    this.chinese = false;
    this.qrStore = '';
    this.discard = 0;
  }

  /** Consumes `header` bytes at `i` and `data` bytes after them, as far as `b` has them; the rest is discarded later. */
  private skipData(b: Buffer, i: number, header: number, data: number): number {
    const have = b.length - i - header;
    if (data <= have) return header + data;
    this.discard = data - have;
    return b.length - i;
  }

  private one(b: Buffer, i: number, ops: EscPosOp[]): number {
    const x = b[i]!;
    const need = (n: number) => (i + n <= b.length ? n : 0);
    const at = (k: number) => b[i + k] ?? 0;
    if (x === 0x0a) {
      ops.push({ op: 'lf' });
      return 1;
    }
    if (x === 0x0d || x === 0x09 || x === 0x00) return 1;
    if (x === 0x0c) {
      ops.push({ op: 'cut', partial: false });
      return 1;
    }
    if (x === DLE) {
      if (!need(3)) return 0;
      if (at(1) === 0x04) {
        ops.push({ op: 'realtime-status', n: at(2) });
        return 3;
      }
      if (at(1) === 0x14) return need(5) || 0;
      ops.push({ op: 'other', bytes: [x, at(1), at(2)] });
      return 3;
    }
    if (x === ESC) {
      if (!need(2)) return 0;
      const c = at(1);
      switch (c) {
        case 0x40:
          this.chinese = false;
          ops.push({ op: 'init' });
          return 2;
        case 0x32:
          return 2; // ESC 2 default line spacing
        case 0x74:
          if (!need(3)) return 0;
          ops.push({ op: 'codepage', n: at(2) });
          return 3;
        case 0x61:
          if (!need(3)) return 0;
          ops.push({ op: 'align', n: at(2) & 3 });
          return 3;
        case 0x45:
        case 0x47:
          if (!need(3)) return 0;
          ops.push({ op: 'bold', on: (at(2) & 1) === 1 });
          return 3;
        case 0x64:
          if (!need(3)) return 0;
          ops.push({ op: 'feed', lines: at(2) });
          return 3;
        case 0x24:
        case 0x5c:
          if (!need(4)) return 0;
          ops.push({ op: 'position', dots: at(2) | (at(3) << 8), relative: c === 0x5c });
          return 4;
        case 0x70:
          if (!need(5)) return 0;
          ops.push({ op: 'drawer', pin: (at(2) & 1) === 0 ? 2 : 5, onMs: at(3) * 2, offMs: at(4) * 2 });
          return 5;
        case 0x21:
        case 0x2d:
        case 0x33:
        case 0x4a:
        case 0x4d:
        case 0x52:
        case 0x56:
        case 0x7b:
        case 0x20:
        case 0x63:
          if (c === 0x63) return need(4);
          return need(3);
        default:
          ops.push({ op: 'other', bytes: [x, c] });
          return 2;
      }
    }
    if (x === FS) {
      if (!need(2)) return 0;
      const c = at(1);
      switch (c) {
        case 0x26:
          this.chinese = true;
          ops.push({ op: 'chinese', on: true });
          return 2;
        case 0x2e:
          this.chinese = false;
          ops.push({ op: 'chinese', on: false });
          return 2;
        case 0x43:
        case 0x2d:
        case 0x21:
        case 0x57:
          return need(3);
        case 0x53:
          return need(4);
        case 0x28: {
          if (!need(5)) return 0;
          const len = at(3) | (at(4) << 8);
          return need(5 + len);
        }
        default:
          ops.push({ op: 'other', bytes: [x, c] });
          return 2;
      }
    }
    if (x === GS) {
      if (!need(2)) return 0;
      const c = at(1);
      switch (c) {
        case 0x21:
          if (!need(3)) return 0;
          ops.push({ op: 'size', n: at(2) });
          return 3;
        case 0x61:
          if (!need(3)) return 0;
          ops.push({ op: 'asb', mask: at(2) });
          return 3;
        case 0x72:
          if (!need(3)) return 0;
          ops.push({ op: 'paper-status' });
          return 3;
        case 0x56: {
          if (!need(3)) return 0;
          const m = at(2);
          const partial = m === 1 || m === 0x31 || m === 0x42 || m === 0x62 || m === 0x68;
          const withFeed = m >= 0x41;
          if (withFeed && !need(4)) return 0;
          ops.push({ op: 'cut', partial });
          return withFeed ? 4 : 3;
        }
        case 0x42:
        case 0x48:
        case 0x66:
        case 0x68:
        case 0x77:
          return need(3);
        case 0x4c:
        case 0x57:
          return need(4);
        case 0x28: {
          if (!need(5)) return 0;
          const len = at(3) | (at(4) << 8);
          if (!need(5 + len)) return 0;
          if (at(2) === 0x6b && len >= 3) {
            const fn = at(6);
            if (fn === 0x50) this.qrStore = b.subarray(i + 8, i + 5 + len).toString('utf8');
            if (fn === 0x51) ops.push({ op: 'qr', data: this.qrStore });
          }
          return 5 + len;
        }
        case 0x38: {
          // GS 8 L p1 p2 p3 p4 m fn a bx by c xL xH yL yH d…: a 32-bit length, unsigned.
          if (!need(7)) return 0;
          const len = at(3) + at(4) * 0x100 + at(5) * 0x10000 + at(6) * 0x1000000;
          const header = Math.min(len, 10);
          if (!need(7 + header)) return 0;
          ops.push(
            header === 10
              ? { op: 'image', width: at(13) | (at(14) << 8), height: at(15) | (at(16) << 8) }
              : { op: 'image', width: 0, height: 0 },
          );
          return this.skipData(b, i, 7 + header, len - header);
        }
        case 0x76: {
          if (!need(8)) return 0;
          const w = at(4) | (at(5) << 8),
            h = at(6) | (at(7) << 8);
          ops.push({ op: 'image', width: w * 8, height: h });
          return this.skipData(b, i, 8, w * h);
        }
        case 0x6b: {
          if (!need(3)) return 0;
          const m = at(2);
          if (m <= 6) {
            const end = b.indexOf(0, i + 3);
            if (end < 0 || end - (i + 3) > MAX_BARCODE_DATA) {
              // No terminator within what a printer accepts: not a barcode; read on after GS k m.
              return b.length - (i + 3) > MAX_BARCODE_DATA ? 3 : 0;
            }
            ops.push({ op: 'barcode', data: b.subarray(i + 3, end).toString('latin1') });
            return end + 1 - i;
          }
          if (!need(4)) return 0;
          const n = at(3);
          if (!need(4 + n)) return 0;
          ops.push({ op: 'barcode', data: b.subarray(i + 4, i + 4 + n).toString('latin1') });
          return 4 + n;
        }
        default:
          ops.push({ op: 'other', bytes: [x, c] });
          return 2;
      }
    }
    // Printable text: collect a run up to the next control byte. In Chinese mode keep
    // multi-byte GB18030 sequences whole even if the chunk ends in the middle.
    let j = i;
    while (j < b.length) {
      const y = b[j]!;
      if (y < 0x20 || y === 0x7f) break;
      if (this.chinese && y >= 0x81 && y <= 0xfe) {
        const y2 = b[j + 1];
        if (y2 === undefined) break;
        const len = y2 >= 0x30 && y2 <= 0x39 ? 4 : 2;
        if (j + len > b.length) break;
        j += len;
      } else j += 1;
    }
    if (j === i) return b[i]! < 0x20 || b[i] === 0x7f ? 1 : 0; // stray control byte, or an incomplete multi-byte char
    const bytes = b.subarray(i, j);
    ops.push({ op: 'text', text: this.chinese ? iconv.decode(bytes, 'gb18030') : iconv.decode(bytes, 'cp437') });
    return j - i;
  }
}
