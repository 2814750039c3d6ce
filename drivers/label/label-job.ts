// What a label printer is asked to print, independent of its command language: a page size in
// dots and text, barcode and bar elements placed in dots from the top-left corner. TSPL and ZPL
// encode it (tspl.ts, zpl.ts); their decoders read it back (the emulator and the tests).

/** 203 dpi, the resolution of nearly every shelf-label printer: 8 dots per mm. */
export const DOTS_PER_MM = 8;

export type LabelSymbology = 'EAN13' | 'CODE128';

export type LabelElement =
  | { kind: 'text'; x: number; y: number; /** glyph height in dots (24, 48, 72…) */ size: number; text: string }
  | {
      kind: 'barcode';
      x: number;
      y: number;
      height: number;
      /** narrow module width in dots */
      narrow: number;
      symbology: LabelSymbology;
      /** EAN13: the 12 digits without the check digit (the printer adds it); CODE128: the data. */
      data: string;
    }
  /** A filled black bar (a rule, or the line striking an old price through). */
  | { kind: 'bar'; x: number; y: number; width: number; height: number };

export interface LabelJob {
  widthDots: number;
  heightDots: number;
  copies: number;
  elements: LabelElement[];
}
