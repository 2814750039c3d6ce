// The shelf label (价签) layout: name, price, per-kg price, unit, origin, member price and the
// product barcode on a 60 × 40 mm label at 203 dpi. Pure: returns a LabelJob for any language.
import { DOTS_PER_MM, type LabelElement, type LabelJob } from './label-job';

export interface ShelfLabel {
  name: string;
  /** Price in fen: per piece ('each') or per kg ('kg'). */
  price: number;
  unit: 'each' | 'kg';
  /** Per-kg price in fen for a packed item sold by the piece (e.g. 500 g box), when known. */
  perKgPrice?: number | null;
  origin?: string | null;
  /** 会员价 in fen, when the store has one for the product. */
  memberPrice?: number | null;
  /** An EAN-13 (13 digits) when the product has one; otherwise printed as Code 128. */
  barcode: string;
  /** A markdown label: the price before the markdown, printed small and struck through. */
  was?: number | null;
  /** A markdown label's note, e.g. "晚间特价 19:30起". */
  note?: string | null;
}

export interface ShelfLabelSize {
  widthMm: number;
  heightMm: number;
}

export const DEFAULT_SHELF_LABEL_SIZE: ShelfLabelSize = { widthMm: 60, heightMm: 40 };

export function yuan(fen: number): string {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

/** Name lines fit 18 CJK glyphs of 24 dots on a 60 mm label; longer names are cut with an ellipsis. */
function fit(text: string, maxChars: number): string {
  const chars = [...text];
  return chars.length <= maxChars ? text : chars.slice(0, maxChars - 1).join('') + '…';
}

/** Dots a line of text takes at `size`: CJK and full-width glyphs are square, the rest half as wide. */
export function textWidthDots(text: string, size: number): number {
  let w = 0;
  for (const ch of text) w += ch.codePointAt(0)! > 0xff ? size : size / 2;
  return Math.ceil(w);
}

export function shelfLabelJob(label: ShelfLabel, copies = 1, size = DEFAULT_SHELF_LABEL_SIZE): LabelJob {
  const w = size.widthMm * DOTS_PER_MM;
  const h = size.heightMm * DOTS_PER_MM;
  if (label.was !== undefined && label.was !== null) return markdownLabelJob(label, label.was, copies, w, h);
  const el: LabelElement[] = [];
  el.push({ kind: 'text', x: 16, y: 12, size: 48, text: fit(label.name, 9) });
  const unitText = label.unit === 'kg' ? '元/kg' : '元/个';
  el.push({ kind: 'text', x: 16, y: 72, size: 72, text: `￥${yuan(label.price)}` });
  el.push({ kind: 'text', x: 16, y: 150, size: 24, text: `单位 ${unitText}` });
  if (label.unit === 'each' && label.perKgPrice) {
    el.push({ kind: 'text', x: 240, y: 150, size: 24, text: `折合 ￥${yuan(label.perKgPrice)}/kg` });
  }
  if (label.origin) el.push({ kind: 'text', x: 16, y: 180, size: 24, text: `产地 ${fit(label.origin, 8)}` });
  if (label.memberPrice !== undefined && label.memberPrice !== null) {
    el.push({ kind: 'text', x: 240, y: 180, size: 24, text: `会员价 ￥${yuan(label.memberPrice)}` });
  }
  const ean = /^\d{13}$/.test(label.barcode);
  el.push({
    kind: 'barcode',
    x: 24,
    y: 214,
    height: Math.min(80, h - 214 - 16),
    narrow: 2,
    symbology: ean ? 'EAN13' : 'CODE128',
    data: ean ? label.barcode.slice(0, 12) : label.barcode,
  });
  return { widthDots: w, heightDots: h, copies, elements: el };
}

/**
 * The markdown label (晚间特价): name, the old price small and struck through with a bar, the
 * new price large, the unit and the note (when it starts), and the barcode, so the shelf shows
 * what the till charges tonight.
 */
function markdownLabelJob(label: ShelfLabel, was: number, copies: number, w: number, h: number): LabelJob {
  const el: LabelElement[] = [];
  el.push({ kind: 'text', x: 16, y: 12, size: 48, text: fit(label.name, 9) });
  const old = `原价 ￥${yuan(was)}`;
  el.push({ kind: 'text', x: 16, y: 66, size: 24, text: old });
  // The strike-through: a 3-dot bar across the middle of the old price's glyphs.
  el.push({ kind: 'bar', x: 16, y: 66 + 11, width: textWidthDots(old, 24), height: 3 });
  const unitText = label.unit === 'kg' ? '元/kg' : '元/个';
  el.push({ kind: 'text', x: 16, y: 94, size: 72, text: `￥${yuan(label.price)}` });
  el.push({ kind: 'text', x: 16, y: 176, size: 24, text: `单位 ${unitText}` });
  if (label.note) el.push({ kind: 'text', x: 200, y: 176, size: 24, text: fit(label.note, 11) });
  const ean = /^\d{13}$/.test(label.barcode);
  el.push({
    kind: 'barcode',
    x: 24,
    y: 214,
    height: Math.min(80, h - 214 - 16),
    narrow: 2,
    symbology: ean ? 'EAN13' : 'CODE128',
    data: ean ? label.barcode.slice(0, 12) : label.barcode,
  });
  return { widthDots: w, heightDots: h, copies, elements: el };
}
