// The one failure shape of the barcode parser: a stable reason code for programs (the UI says it
// in the cashier's language from its own table) and an English message for logs and the CLI.

export type BarcodeInvalidReason =
  | 'empty'
  | 'control-char'
  | 'bad-characters'
  | 'wrong-length'
  | 'check-digit'
  | 'price-check-digit'
  | 'unknown-ai'
  | 'truncated'
  | 'value-too-long'
  | 'bad-value'
  | 'bad-date'
  | 'bad-weight'
  | 'bad-price'
  | 'duplicate-ai'
  | 'bad-url'
  | 'no-primary-key';

export interface BarcodeInvalid {
  ok: false;
  code: 'BARCODE_INVALID';
  reason: BarcodeInvalidReason;
  /** English, for logs and the command line; the till shows `reason` translated. */
  message: string;
  /** What exactly failed, for support (e.g. "AI 17"); not translated. */
  detail?: string;
  /** Digits scanned, for 'wrong-length'. */
  digits?: number;
}

const TEXT: Record<BarcodeInvalidReason, string> = {
  empty: 'Nothing was scanned. Scan the barcode again.',
  'control-char':
    'The scan contains unexpected control characters. Scan again; if it repeats, check the scanner settings.',
  'bad-characters': 'This barcode has letters or symbols where digits belong. Scan again or type the number.',
  'wrong-length': 'This barcode has the wrong number of digits. Scan again or type the number.',
  'check-digit': 'The barcode check digit is wrong (misread or damaged label). Scan again or type the number.',
  'price-check-digit': 'The price/weight check digit on this scale label is wrong. Reprint the label at the scale.',
  'unknown-ai': 'This GS1 code contains a field the till does not know. Enter the item by hand.',
  truncated: 'This GS1 code is cut short (incomplete scan). Scan again.',
  'value-too-long':
    'A field in this GS1 code is too long (a separator may be missing). Scan again; if it repeats, check the scanner sends GS (FNC1).',
  'bad-value': 'A field in this GS1 code has invalid content. Enter the item by hand.',
  'bad-date': 'The date in this code is not a real date. Check the label.',
  'bad-weight': 'The weight in this code is not valid. Weigh the item again.',
  'bad-price': 'The price in this code is not valid. Reprint the label or enter the price.',
  'duplicate-ai': 'This GS1 code repeats a field with different values. Enter the item by hand.',
  'bad-url': 'This QR code is not a product link the till can read.',
  'no-primary-key': 'This GS1 link does not name a product (no GTIN). Scan the product barcode instead.',
};

/** Builds the failure result; `detail` (e.g. the AI) is kept so support can see what failed. */
export function invalid(reason: BarcodeInvalidReason, detail?: string, digits?: number): BarcodeInvalid {
  const en = TEXT[reason];
  const out: BarcodeInvalid = {
    ok: false,
    code: 'BARCODE_INVALID',
    reason,
    message: detail ? `${en} (${detail})` : en,
  };
  if (detail) out.detail = detail;
  if (digits !== undefined) out.digits = digits;
  return out;
}

/** Internal control flow for deep parsers: thrown and caught inside parseBarcode only. */
export class BarcodeFailure extends Error {
  constructor(public readonly result: BarcodeInvalid) {
    super(result.message);
  }
}

export function fail(reason: BarcodeInvalidReason, detail?: string): never {
  throw new BarcodeFailure(invalid(reason, detail));
}
