// ZPL II (Zebra and compatibles). One label is ^XA … ^XZ; ^CI28 makes field data UTF-8, and
// ^A@ picks a scalable CJK font stored in the printer (E:SIMSUN.TTF on Chinese-market models).
//
//   ^XA^CI28^PW480^LL320
//   ^FO16,12^A@N,48,48,E:SIMSUN.TTF^FH_^FDcontent^FS     (^ ~ _ in content written _5E _7E _5F)
//   ^FO24,214^BY2^BEN,80,Y,N^FD12 digits^FS              (EAN-13; ^BCN for Code 128)
//   ^FO16,96^GB200,4,4^FS                                 (a filled bar: thickness = the smaller side)
//   ^PQ1^XZ
import { StringDecoder } from 'node:string_decoder';
import { LabelLanguageError } from './tspl';
import type { LabelElement, LabelJob } from './label-job';

const FONT = 'E:SIMSUN.TTF';

function fieldData(s: string): string {
  return s.replace(/[_^~]/g, (c) => `_${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function encodeZpl(job: LabelJob): Buffer {
  const out: string[] = ['^XA', '^CI28', `^PW${job.widthDots}`, `^LL${job.heightDots}`];
  for (const e of job.elements) {
    if (e.kind === 'text') {
      out.push(`^FO${e.x},${e.y}^A@N,${e.size},${e.size},${FONT}^FH_^FD${fieldData(e.text)}^FS`);
    } else if (e.kind === 'bar') {
      out.push(`^FO${e.x},${e.y}^GB${e.width},${e.height},${Math.min(e.width, e.height)}^FS`);
    } else {
      const bc = e.symbology === 'EAN13' ? `^BEN,${e.height},Y,N` : `^BCN,${e.height},Y,N,N`;
      out.push(`^FO${e.x},${e.y}^BY${e.narrow}${bc}^FH_^FD${fieldData(e.data)}^FS`);
    }
  }
  out.push(`^PQ${job.copies}`, '^XZ');
  return Buffer.from(out.join('\n') + '\n', 'utf8');
}

/** Reads ZPL back into label jobs, one per ^XA…^XZ. Commands we do not model are skipped. */
export class ZplDecoder {
  private buf = '';
  private readonly utf8 = new StringDecoder('utf8');
  /** Labels that could not be read (dropped and noted). */
  readonly errors: string[] = [];

  push(data: Buffer): LabelJob[] {
    this.buf += this.utf8.write(data);
    const jobs: LabelJob[] = [];
    for (;;) {
      const start = this.buf.indexOf('^XA');
      const end = this.buf.indexOf('^XZ', start + 3);
      if (start < 0 || end < 0) break;
      try {
        jobs.push(this.label(this.buf.slice(start + 3, end)));
      } catch (e) {
        if (!(e instanceof LabelLanguageError)) throw e;
        this.errors.push(e.message);
      }
      this.buf = this.buf.slice(end + 3);
    }
    if (this.buf.length > 1 << 20) throw new LabelLanguageError('ZPL', 'label longer than 1 MB');
    return jobs;
  }

  private label(body: string): LabelJob {
    const job: LabelJob = { widthDots: 480, heightDots: 320, copies: 1, elements: [] };
    let x = 0;
    let y = 0;
    let size = 24;
    let narrow = 2;
    let barcode: { symbology: 'EAN13' | 'CODE128'; height: number } | null = null;
    let hexEscape: string | null = null;
    for (const raw of body.split('^').slice(1)) {
      const cmd = raw.slice(0, 2).toUpperCase();
      const rest = raw.slice(2).replace(/\n$/, '');
      const a = rest.split(',');
      switch (cmd) {
        case 'PW':
          job.widthDots = Number(a[0]);
          break;
        case 'LL':
          job.heightDots = Number(a[0]);
          break;
        case 'PQ':
          job.copies = Number(a[0]);
          break;
        case 'FO':
          x = Number(a[0]);
          y = Number(a[1]);
          break;
        case 'A@':
        case 'A0':
          size = Number(a[1]);
          break;
        case 'BY':
          narrow = Number(a[0]);
          break;
        case 'BE':
          barcode = { symbology: 'EAN13', height: Number(a[1]) };
          break;
        case 'BC':
          barcode = { symbology: 'CODE128', height: Number(a[1]) };
          break;
        case 'GB': {
          // A graphic box: we only draw filled ones (thickness = the smaller side), read back as a bar.
          const [w, h] = a.map(Number);
          if (w !== undefined && h !== undefined && Number.isFinite(w) && Number.isFinite(h))
            job.elements.push({ kind: 'bar', x, y, width: w, height: h });
          break;
        }
        case 'FH':
          hexEscape = rest.trim() || '_';
          break;
        case 'FD': {
          let text = rest.replace(/\s+$/, '');
          if (hexEscape) {
            const esc = hexEscape.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
            text = text.replace(new RegExp(`${esc}([0-9A-Fa-f]{2})`, 'g'), (_, h: string) =>
              String.fromCharCode(parseInt(h, 16)),
            );
          }
          const el: LabelElement = barcode
            ? { kind: 'barcode', x, y, height: barcode.height, narrow, symbology: barcode.symbology, data: text }
            : { kind: 'text', x, y, size, text };
          job.elements.push(el);
          break;
        }
        case 'FS':
          barcode = null;
          hexEscape = null;
          break;
        default:
          break;
      }
    }
    if (job.elements.some((e) => Number.isNaN(e.x) || Number.isNaN(e.y)))
      throw new LabelLanguageError('ZPL', 'field origin is not a number');
    return job;
  }
}
