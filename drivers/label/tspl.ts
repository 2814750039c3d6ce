// TSPL (TSC and most Chinese label printers: 佳博 Gprinter, 汉印 HPRT, 芯烨 Xprinter). Commands
// are text lines ending CR LF; strings are in the printer's code page — GB18030 here, which the
// Simplified Chinese font "TSS24.BF2" (24-dot, scaled by integer multipliers) expects.
//
//   SIZE 60 mm,40 mm / GAP 2 mm,0 mm / DIRECTION 1 / CLS
//   TEXT x,y,"TSS24.BF2",0,mx,my,"content"        (a " inside content is written \["])
//   BARCODE x,y,"EAN13",height,1,0,narrow,wide,"12 digits"   (human readable on, 0° rotation)
//   BAR x,y,width,height                           (a filled bar: a rule or a strike-through)
//   PRINT 1,copies
import iconv from 'iconv-lite';
import { DOTS_PER_MM, type LabelElement, type LabelJob } from './label-job';

const FONT = 'TSS24.BF2';
const CRLF = '\r\n';

function gb(s: string): Buffer {
  return iconv.encode(s, 'gb18030');
}

export function encodeTspl(job: LabelJob): Buffer {
  const parts: Buffer[] = [];
  const line = (s: string) => parts.push(gb(s + CRLF));
  line(`SIZE ${job.widthDots / DOTS_PER_MM} mm,${job.heightDots / DOTS_PER_MM} mm`);
  line('GAP 2 mm,0 mm');
  line('DIRECTION 1');
  line('CODEPAGE 936');
  line('CLS');
  for (const e of job.elements) {
    if (e.kind === 'text') {
      const m = Math.max(1, Math.round(e.size / 24));
      line(`TEXT ${e.x},${e.y},"${FONT}",0,${m},${m},"${e.text.replace(/"/g, '\\["]')}"`);
    } else if (e.kind === 'bar') {
      line(`BAR ${e.x},${e.y},${e.width},${e.height}`);
    } else {
      const sym = e.symbology === 'EAN13' ? 'EAN13' : '128';
      line(`BARCODE ${e.x},${e.y},"${sym}",${e.height},1,0,${e.narrow},${e.narrow},"${e.data.replace(/"/g, '\\["]')}"`);
    }
  }
  line(`PRINT 1,${job.copies}`);
  return Buffer.concat(parts);
}

/** Splits a TSPL argument list at commas outside quotes; quoted arguments lose their quotes. */
function args(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quoted && s.startsWith('\\["]', i)) {
      cur += '"';
      i += 3;
    } else if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  out.push(cur.trim());
  return out;
}

function mm(v: string | undefined): number {
  const n = Number.parseFloat(v ?? '');
  if (!Number.isFinite(n)) throw new LabelLanguageError('TSPL', `bad size ${v}`);
  return Math.round(n * DOTS_PER_MM);
}

export class LabelLanguageError extends Error {
  readonly code = 'LABEL_BAD_COMMAND';
  constructor(
    readonly language: 'TSPL' | 'ZPL',
    detail: string,
  ) {
    super(`${language}: ${detail}`);
    this.name = 'LabelLanguageError';
  }
}

/**
 * Reads TSPL text back into label jobs (one per PRINT). Commands we do not model (SPEED,
 * DENSITY, REFERENCE, SET …) are skipped; a malformed TEXT/BARCODE is skipped and noted in `errors`.
 */
export class TsplDecoder {
  private buf = Buffer.alloc(0);
  private page = { widthDots: 480, heightDots: 320 };
  private elements: LabelElement[] = [];
  /** Commands that could not be read (skipped, like a printer skips them). */
  readonly errors: string[] = [];

  push(data: Buffer): LabelJob[] {
    this.buf = Buffer.concat([this.buf, data]);
    const jobs: LabelJob[] = [];
    for (;;) {
      const nl = this.buf.indexOf(0x0a);
      if (nl < 0) break;
      const raw = iconv.decode(this.buf.subarray(0, nl), 'gb18030').replace(/\r$/, '');
      this.buf = this.buf.subarray(nl + 1);
      try {
        const job = this.line(raw.trim());
        if (job) jobs.push(job);
      } catch (e) {
        if (!(e instanceof LabelLanguageError)) throw e;
        this.errors.push(e.message);
      }
    }
    if (this.buf.length > 1 << 20) throw new LabelLanguageError('TSPL', 'line longer than 1 MB');
    return jobs;
  }

  private line(l: string): LabelJob | null {
    if (!l) return null;
    const sp = l.indexOf(' ');
    const cmd = (sp < 0 ? l : l.slice(0, sp)).toUpperCase();
    const a = sp < 0 ? [] : args(l.slice(sp + 1));
    switch (cmd) {
      case 'SIZE':
        this.page = { widthDots: mm(a[0]), heightDots: mm(a[1]) };
        return null;
      case 'CLS':
        this.elements = [];
        return null;
      case 'TEXT': {
        const [x, y, , , mx, , text] = a;
        if (text === undefined) throw new LabelLanguageError('TSPL', `TEXT needs 7 arguments: ${l}`);
        this.elements.push({ kind: 'text', x: Number(x), y: Number(y), size: 24 * Number(mx), text });
        return null;
      }
      case 'BARCODE': {
        const [x, y, sym, height, , , narrow, , data] = a;
        if (data === undefined) throw new LabelLanguageError('TSPL', `BARCODE needs 9 arguments: ${l}`);
        const symbology = sym === 'EAN13' ? 'EAN13' : sym === '128' || sym === '128M' ? 'CODE128' : null;
        if (!symbology) throw new LabelLanguageError('TSPL', `barcode type ${sym} not supported`);
        this.elements.push({
          kind: 'barcode',
          x: Number(x),
          y: Number(y),
          height: Number(height),
          narrow: Number(narrow),
          symbology,
          data,
        });
        return null;
      }
      case 'BAR': {
        const [x, y, width, height] = a.map(Number);
        if ([x, y, width, height].some((n) => n === undefined || !Number.isFinite(n)))
          throw new LabelLanguageError('TSPL', `BAR needs 4 numbers: ${l}`);
        this.elements.push({ kind: 'bar', x: x!, y: y!, width: width!, height: height! });
        return null;
      }
      case 'PRINT': {
        const copies = Number(a[1] ?? 1) * Number(a[0] ?? 1);
        return { ...this.page, copies, elements: [...this.elements] };
      }
      default:
        return null;
    }
  }
}
