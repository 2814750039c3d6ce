// Turns decoded ESC/POS ops into a paper receipt: a text transcript (CJK counts as two
// columns, like on paper) and an SVG image (Noto Sans CJK from fonts-noto-cjk; PNG via sharp).
import QRCode from 'qrcode';
import type { EscPosOp } from '../escpos';

export interface TextSegment {
  col: number;
  text: string;
  size: number;
}
export interface RenderedLine {
  text: string;
  align: number;
  size: number;
  segments: TextSegment[];
  qr?: string;
}
export interface RenderedReceipt {
  lines: RenderedLine[];
  text: string;
  qr: string[];
  drawerKicks: number;
  complete: boolean;
}

const DOT_PER_COL = 12; // font A: 12 x 24 dots

export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s)
    w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch)
      ? 2
      : 1;
  return w;
}

const scaleW = (size: number) => ((size >> 4) & 0x07) + 1;
const scaleH = (size: number) => (size & 0x07) + 1;

/** Collects ops for one receipt (up to a cut). Text keeps its paper column and character size. */
export class ReceiptBuilder {
  lines: RenderedLine[] = [];
  qr: string[] = [];
  drawerKicks = 0;
  private segs: TextSegment[] = [];
  private col = 0;
  private align = 0;
  private size = 0;
  private touched = false;

  get empty(): boolean {
    return !this.touched && this.lines.length === 0;
  }

  apply(op: EscPosOp): void {
    switch (op.op) {
      case 'text':
        this.segs.push({ col: this.col, text: op.text, size: this.size });
        this.col += displayWidth(op.text) * scaleW(this.size);
        this.touched = true;
        break;
      case 'lf':
        this.flush();
        break;
      case 'feed':
        this.flush();
        for (let k = 0; k < op.lines; k++) this.lines.push({ text: '', align: 0, size: 0, segments: [] });
        break;
      case 'align':
        this.align = op.n;
        break;
      case 'size':
        this.size = op.n;
        break;
      case 'position': {
        const c = Math.round(op.dots / DOT_PER_COL);
        this.col = op.relative ? this.col + c : c;
        break;
      }
      case 'qr':
        this.block(`[QR ${op.data}]`, op.data);
        this.qr.push(op.data);
        break;
      case 'barcode':
        this.block(`[BARCODE ${op.data}]`);
        break;
      case 'image':
        this.block(`[IMAGE ${op.width}x${op.height}]`);
        break;
      case 'drawer':
        this.drawerKicks++;
        break;
      case 'init':
        this.align = 0;
        this.size = 0;
        break;
      default:
        break;
    }
  }

  private block(text: string, qr?: string): void {
    if (this.segs.length) this.flush();
    this.lines.push({
      text,
      align: 1,
      size: 0,
      segments: [{ col: 0, text, size: 0 }],
      ...(qr !== undefined ? { qr } : {}),
    });
    this.touched = true;
  }

  private flush(): void {
    // Transcript: each segment at its paper column (double-width text keeps its characters).
    let text = '',
      w = 0;
    for (const sg of this.segs) {
      if (sg.col > w) {
        text += ' '.repeat(sg.col - w);
        w = sg.col;
      }
      text += sg.text;
      w += displayWidth(sg.text) * scaleW(sg.size);
    }
    const segments = this.segs.filter((sg) => sg.text.trim() !== '');
    const size = segments.reduce((m, sg) => (scaleH(sg.size) > scaleH(m) ? sg.size : m), 0);
    this.lines.push({ text: text.replace(/\s+$/, ''), align: this.align, size, segments });
    this.segs = [];
    this.col = 0;
    this.touched = true;
  }

  finish(complete: boolean): RenderedReceipt {
    if (this.segs.length) this.flush();
    while (this.lines.length && this.lines[this.lines.length - 1]!.text === '') this.lines.pop();
    return {
      lines: this.lines,
      text: this.lines.map((l) => l.text).join('\n'),
      qr: this.qr,
      drawerKicks: this.drawerKicks,
      complete,
    };
  }
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** SVG of the receipt, `cols` characters wide (12 px per column, 24 px per line). */
export function receiptSvg(r: RenderedReceipt, cols = 48): string {
  const W = cols * DOT_PER_COL + 24;
  let y = 12;
  const parts: string[] = [];
  for (const l of r.lines) {
    if (l.qr) {
      const qr = QRCode.create(l.qr, { errorCorrectionLevel: 'M' });
      const n = qr.modules.size,
        cell = 4,
        x0 = (W - n * cell) / 2;
      let rects = '';
      for (let yy = 0; yy < n; yy++)
        for (let xx = 0; xx < n; xx++)
          if (qr.modules.get(yy, xx)) rects += `M${x0 + xx * cell} ${y + yy * cell}h${cell}v${cell}h-${cell}z`;
      parts.push(`<path d="${rects}" fill="#000"/>`);
      y += n * cell + 8;
      continue;
    }
    y += 24 * scaleH(l.size);
    // A single unpositioned piece of text follows ESC a; anything positioned keeps its column.
    const only = l.segments.length === 1 && l.segments[0]!.col === 0 && l.align !== 0 ? l.segments[0]! : null;
    for (const sg of l.segments) {
      const sx = scaleW(sg.size),
        sy = scaleH(sg.size);
      const body = sg.text.trimStart();
      const lead = sg.text.length - body.length;
      const anchor = only ? (l.align === 1 ? 'middle' : 'end') : 'start';
      const x = only ? (l.align === 1 ? W / 2 : W - 12) : 12 + (sg.col + lead * sx) * DOT_PER_COL;
      // Noto Sans Mono CJK at 24 px: Latin 12 px, CJK 24 px wide, like the printer's 12 x 24 font.
      const stretch = sx !== sy ? ` scale(${sx / sy} 1)` : '';
      parts.push(
        `<text transform="translate(${x} ${y - 5})${stretch}" text-anchor="${anchor}" font-size="${24 * sy}" xml:space="preserve">${esc(body)}</text>`,
      );
    }
  }
  const H = y + 24;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}"><rect width="100%" height="100%" fill="#fff"/><g font-family="Noto Sans Mono CJK SC, Noto Sans CJK SC, monospace" fill="#000">${parts.join('')}</g></svg>`;
}

export async function receiptPng(svg: string): Promise<Buffer> {
  const sharp = (await import('sharp')).default;
  return sharp(Buffer.from(svg)).png().toBuffer();
}
