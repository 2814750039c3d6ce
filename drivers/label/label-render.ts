// Renders a LabelJob as the printer would: white label, black text (Noto Sans CJK from
// fonts-noto-cjk) and barcode bars from bwip-js's module widths, 1 SVG unit = 1 dot; PNG via sharp.
import bwipjs from 'bwip-js/node';
import type { LabelJob } from './label-job';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Bar and space widths in modules, bar first (bwip-js computes the EAN-13 check digit itself). */
export function barcodeModules(symbology: 'EAN13' | 'CODE128', data: string): number[] {
  const r = bwipjs.raw(symbology === 'EAN13' ? 'ean13' : 'code128', data, {});
  const first = r[0];
  if (!first || !('sbs' in first)) throw new RangeError(`cannot encode ${symbology} ${data}`);
  return first.sbs;
}

export function labelSvg(job: LabelJob): string {
  const parts: string[] = [];
  for (const e of job.elements) {
    if (e.kind === 'text') {
      parts.push(`<text x="${e.x}" y="${e.y + Math.round(e.size * 0.88)}" font-size="${e.size}">${esc(e.text)}</text>`);
    } else if (e.kind === 'bar') {
      parts.push(`<rect x="${e.x}" y="${e.y}" width="${e.width}" height="${e.height}"/>`);
    } else {
      let x = e.x;
      const widths = barcodeModules(e.symbology, e.data);
      widths.forEach((m, i) => {
        const w = m * e.narrow;
        if (i % 2 === 0) parts.push(`<rect x="${x}" y="${e.y}" width="${w}" height="${e.height}"/>`);
        x += w;
      });
      parts.push(`<text x="${e.x}" y="${e.y + e.height + 18}" font-size="18">${esc(e.data)}</text>`);
    }
  }
  const { widthDots: w, heightDots: h } = job;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" shape-rendering="crispEdges"><rect width="100%" height="100%" fill="#fff"/><g font-family="Noto Sans CJK SC, sans-serif" fill="#000">${parts.join('')}</g></svg>`;
}

/**
 * The largest label the emulator renders: 4-inch desktop and 8-inch industrial printers print at
 * most ~2,400 dots across (200 mm at 300 dpi); 8,000 dots is a 1 m long label at 203 dpi. A size
 * from the wire beyond that (SIZE 2000 mm,2000 mm is 256 M pixels) would take seconds and a GB.
 */
const MAX_WIDTH_DOTS = 2_400;
const MAX_HEIGHT_DOTS = 8_000;

export async function labelPng(job: LabelJob): Promise<Buffer> {
  const { widthDots: w, heightDots: h } = job;
  const fits = (v: number, max: number) => Number.isInteger(v) && v >= 1 && v <= max;
  if (!fits(w, MAX_WIDTH_DOTS) || !fits(h, MAX_HEIGHT_DOTS)) {
    throw new Error(`label size ${w}×${h} dots is outside 1–${MAX_WIDTH_DOTS} × 1–${MAX_HEIGHT_DOTS}`);
  }
  const sharp = (await import('sharp')).default;
  return sharp(Buffer.from(labelSvg(job)))
    .png()
    .toBuffer();
}
