// Turns decoded ESC/POS ops into a paper receipt: a text transcript (CJK counts as two
// columns, like on paper) and an SVG image (Noto Sans CJK from fonts-noto-cjk; PNG via sharp).
import QRCode from 'qrcode';
import type { EscPosOp } from '../escpos';

export interface RenderedLine { text: string; align: number; size: number; qr?: string }
export interface RenderedReceipt { lines: RenderedLine[]; text: string; qr: string[]; drawerKicks: number; complete: boolean }

const DOT_PER_COL = 12; // font A: 12 x 24 dots

export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}

/** Collects ops for one receipt (up to a cut). */
export class ReceiptBuilder {
  lines: RenderedLine[] = [];
  qr: string[] = [];
  drawerKicks = 0;
  private cur = '';
  private align = 0;
  private size = 0;
  private touched = false;

  get empty(): boolean { return !this.touched && this.lines.length === 0; }

  apply(op: EscPosOp): void {
    switch (op.op) {
      case 'text': this.cur += op.text; this.touched = true; break;
      case 'lf': this.flush(); break;
      case 'feed': this.flush(); for (let k = 0; k < op.lines; k++) this.lines.push({ text: '', align: 0, size: 0 }); break;
      case 'align': this.align = op.n; break;
      case 'size': this.size = op.n; break;
      case 'position': {
        const col = Math.round(op.dots / DOT_PER_COL);
        const w = displayWidth(this.cur);
        const target = op.relative ? w + col : col;
        if (target > w) this.cur += ' '.repeat(target - w);
        break;
      }
      case 'qr': this.flush(); this.qr.push(op.data); this.lines.push({ text: `[QR ${op.data}]`, align: 1, size: 0, qr: op.data }); this.touched = true; break;
      case 'barcode': this.flush(); this.lines.push({ text: `[BARCODE ${op.data}]`, align: 1, size: 0 }); this.touched = true; break;
      case 'image': this.flush(); this.lines.push({ text: `[IMAGE ${op.width}x${op.height}]`, align: 1, size: 0 }); this.touched = true; break;
      case 'drawer': this.drawerKicks++; break;
      case 'init': this.align = 0; this.size = 0; break;
      default: break;
    }
  }

  private flush(): void {
    this.lines.push({ text: this.cur.replace(/\s+$/, ''), align: this.align, size: this.size });
    this.cur = '';
    this.touched = true;
  }

  finish(complete: boolean): RenderedReceipt {
    if (this.cur) this.flush();
    while (this.lines.length && this.lines[this.lines.length - 1]!.text === '') this.lines.pop();
    return { lines: this.lines, text: this.lines.map((l) => l.text).join('\n'), qr: this.qr, drawerKicks: this.drawerKicks, complete };
  }
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** SVG of the receipt, `cols` characters wide (12 px per column, 24 px per line). */
export function receiptSvg(r: RenderedReceipt, cols = 48): string {
  const W = cols * DOT_PER_COL + 24;
  let y = 12;
  const parts: string[] = [];
  for (const l of r.lines) {
    const scaleH = ((l.size & 0x0f) + 1);
    const scaleW = (((l.size >> 4) & 0x0f) + 1);
    if (l.qr) {
      const qr = QRCode.create(l.qr, { errorCorrectionLevel: 'M' });
      const n = qr.modules.size, cell = 4, x0 = (W - n * cell) / 2;
      let rects = '';
      for (let yy = 0; yy < n; yy++) for (let xx = 0; xx < n; xx++) if (qr.modules.get(yy, xx)) rects += `M${x0 + xx * cell} ${y + yy * cell}h${cell}v${cell}h-${cell}z`;
      parts.push(`<path d="${rects}" fill="#000"/>`);
      y += n * cell + 8;
      continue;
    }
    const h = 24 * scaleH;
    y += h;
    // Leading spaces come from ESC $ positions (normal-width columns): place the text there.
    const lead = l.text.length - l.text.trimStart().length;
    const body = l.text.trimStart();
    const positioned = lead > 0 || l.align === 0;
    const anchor = positioned ? 'start' : l.align === 1 ? 'middle' : 'end';
    const x = positioned ? 12 + lead * DOT_PER_COL : l.align === 1 ? W / 2 : W - 12;
    // Noto Sans Mono CJK at 24 px: Latin 12 px, CJK 24 px wide, like the printer's 12 x 24 font.
    const stretch = scaleW !== scaleH ? ` textLength="${displayWidth(body) * DOT_PER_COL * scaleW}"` : '';
    parts.push(`<text x="${x}" y="${y - 5}" text-anchor="${anchor}" font-size="${24 * scaleH}"${stretch} xml:space="preserve">${esc(body)}</text>`);
  }
  const H = y + 24;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}"><rect width="100%" height="100%" fill="#fff"/><g font-family="Noto Sans Mono CJK SC, Noto Sans CJK SC, monospace" fill="#000">${parts.join('')}</g></svg>`;
}

export async function receiptPng(svg: string): Promise<Buffer> {
  const sharp = (await import('sharp')).default;
  return sharp(Buffer.from(svg)).png().toBuffer();
}
