// Receipt encoding: a receiptline document (laid out by app/core/receipt) becomes ESC/POS
// bytes for 58 mm (32 columns) or 80 mm (48 columns) printers. We start from receiptline's
// "generic" ESC/POS command set (the subset Chinese printers such as Xprinter/GPrinter/
// Sunmi understand) and change what those printers need: GB18030 text in FS & Chinese mode,
// native QR codes (GS ( k, small and sharp) instead of raster images, ASCII rules instead of
// Katakana box-drawing glyphs, an optional drawer kick and a trailing GS r 1 that the print
// queue uses as its acknowledgement.
import receiptline from 'receiptline';
import * as cmd from './commands';

export type ReceiptWidth = 58 | 80;
export type PrinterEncoding = 'gb18030' | 'cp936' | 'cp437';

export interface ReceiptDocument {
  /** receiptline markdown */
  receiptline: string;
  reprint?: boolean;
}

export interface EncodeOptions {
  width?: ReceiptWidth;
  encoding?: PrinterEncoding;
  reprint?: boolean;
  /** Kick the drawer after the receipt (cash sales). */
  drawerKick?: false | { pin?: 2 | 5; onMs?: number; offMs?: number };
  cut?: boolean;
}

export const columnsFor = (width: ReceiptWidth): number => (width === 58 ? 32 : 48);

/** Banner printed at the top and bottom of explicit reprints, so a copy is never taken for an original. */
export const REPRINT_BANNER = '^^^重印 REPRINT';
const CHINESE_REPRINT_MARK = /重印|重打/;

type Symbol = { data: string; cell: number; level: string };
type CommandSet = Record<string, unknown> & { qrcode: (s: Symbol, enc: string) => string };

const base = (receiptline as unknown as { commands: Record<string, object> }).commands.generic!;

function commandSet(): CommandSet {
  return Object.assign({}, base, {
    hr: (width: number) => '\x1c.' + '-'.repeat(width),
    qrcode: (symbol: Symbol) => {
      if (!symbol.data) return '';
      const level = (symbol.level || 'm').toUpperCase() as cmd.QrErrorLevel;
      return cmd.qrCode(symbol.data, { size: symbol.cell || 4, level }).toString('binary');
    },
  }) as CommandSet;
}

/**
 * Makes sure a reprint says REPRINT on paper: documents that already do are left alone; a
 * Chinese-only mark (the core's 重打小票) gets the English word on top; otherwise a bilingual
 * banner goes at the top and bottom.
 */
export function withReprintBanner(doc: string): string {
  if (/REPRINT/.test(doc)) return doc;
  if (CHINESE_REPRINT_MARK.test(doc)) return `"REPRINT"\n${doc}`;
  return `${REPRINT_BANNER}\n\n${doc}\n\n${REPRINT_BANNER}`;
}

export function encodeReceipt(doc: string | ReceiptDocument, opts: EncodeOptions = {}): Buffer {
  const d: ReceiptDocument = typeof doc === 'string' ? { receiptline: doc } : doc;
  const reprint = opts.reprint ?? d.reprint ?? false;
  // A trailing "=" (receiptline paper cut) is dropped: we cut after the feed and before the drawer kick.
  const body0 = d.receiptline.replace(/(\n[ \t]*=[ \t]*)+\s*$/, '\n');
  const source = reprint ? withReprintBanner(body0) : body0;
  const width = opts.width ?? 80;
  const encoding = opts.encoding ?? 'gb18030';
  const cut = opts.cut ?? true;
  const printer = { cpl: columnsFor(width), encoding, command: commandSet(), cutting: false, spacing: false };
  const rendered = Buffer.from(
    receiptline.transform(source, printer as unknown as Parameters<typeof receiptline.transform>[1]),
    'binary',
  );
  // receiptline's open() sends GS a 0, which would switch off the Automatic Status Back the
  // printer driver relies on to see a cover opened mid-receipt; drop it.
  const asbOff = Buffer.from([0x1b, 0x40, 0x1d, 0x61, 0x00]);
  const body = rendered.subarray(0, 5).equals(asbOff) ? Buffer.concat([cmd.init(), rendered.subarray(5)]) : rendered;
  // receiptline's close() already ends with GS r 1 when cutting is off; we put the cut and
  // drawer kick before it so the acknowledgement comes after the paper is out.
  const tail = body.subarray(body.length - 3);
  const core = tail.equals(cmd.transmitPaperStatus()) ? body.subarray(0, body.length - 3) : body;
  const parts: Buffer[] = [core, cmd.chineseModeOff(), cmd.feedLines(3)];
  if (cut) parts.push(cmd.cut('partial', 0));
  if (opts.drawerKick)
    parts.push(cmd.drawerKick(opts.drawerKick.pin ?? 2, opts.drawerKick.onMs, opts.drawerKick.offMs));
  parts.push(cmd.transmitPaperStatus());
  return Buffer.concat(parts);
}
