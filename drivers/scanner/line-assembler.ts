// Splits a scanner/scale byte stream into lines at a configurable terminator. Garbage and
// overlong lines become errors and are dropped; the assembler always recovers at the next
// terminator, so one bad burst never wedges the device.
export type LineResult = { ok: true; line: string } | { ok: false; code: 'OVERLONG' | 'GARBAGE'; detail: string };

export const TERMINATORS: Record<string, string> = { CR: '\r', LF: '\n', CRLF: '\r\n', TAB: '\t', ETX: '\x03' };

export function parseTerminator(t: string | undefined): string {
  if (!t) return '\r';
  return TERMINATORS[t.toUpperCase()] ?? t;
}

// GS, RS, EOT appear inside GS1 and ISO/IEC 15434 data; other controls are line noise.
const ALLOWED_CONTROL = new Set([0x1d, 0x1e, 0x04]);

export class LineAssembler {
  private buf: number[] = [];
  private skipping = false;
  private readonly term: Buffer;

  constructor(
    terminator: string,
    private readonly maxLength = 512,
  ) {
    this.term = Buffer.from(terminator, 'latin1');
    if (this.term.length === 0) throw new Error('terminator must not be empty');
  }

  push(chunk: Uint8Array): LineResult[] {
    const out: LineResult[] = [];
    for (const x of chunk) {
      this.buf.push(x);
      if (this.endsWithTerminator()) {
        const raw = Buffer.from(this.buf.slice(0, this.buf.length - this.term.length));
        this.buf = [];
        if (this.skipping) {
          this.skipping = false;
          continue;
        }
        // A CRLF scanner configured as CR leaves a leading LF: tolerate it.
        const trimmed = raw[0] === 0x0a || raw[0] === 0x0d ? raw.subarray(1) : raw;
        if (trimmed.length === 0) continue;
        out.push(this.check(trimmed));
        continue;
      }
      if (!this.skipping && this.buf.length > this.maxLength + this.term.length) {
        out.push({ ok: false, code: 'OVERLONG', detail: `more than ${this.maxLength} bytes without a terminator` });
        this.skipping = true;
      }
      if (this.skipping && this.buf.length > this.term.length) this.buf.splice(0, this.buf.length - this.term.length);
    }
    return out;
  }

  private endsWithTerminator(): boolean {
    const n = this.term.length,
      b = this.buf;
    if (b.length < n) return false;
    for (let i = 0; i < n; i++) if (b[b.length - n + i] !== this.term[i]) return false;
    return true;
  }

  private check(raw: Buffer): LineResult {
    for (const x of raw) {
      if ((x < 0x20 && !ALLOWED_CONTROL.has(x)) || x === 0x7f)
        return { ok: false, code: 'GARBAGE', detail: `control byte 0x${x.toString(16).padStart(2, '0')} in data` };
    }
    const text = raw.toString('utf8');
    if (text.includes('\ufffd')) return { ok: false, code: 'GARBAGE', detail: 'bytes are not valid UTF-8 text' };
    return { ok: true, line: text };
  }
}
