// EAN-13 helpers for generated demo data: Chinese GS1 prefixes 690–699 with a valid check digit.
import { gs1CheckDigit } from '../barcode';

export function ean13(twelveDigits: string): string {
  if (!/^\d{12}$/.test(twelveDigits)) throw new RangeError('ean13 needs 12 digits');
  return twelveDigits + String(gs1CheckDigit(twelveDigits));
}

/** EAN-13 as stored in the catalog (GTIN-14, zero-padded). */
export function gtin14OfEan13(code: string): string {
  return code.padStart(14, '0');
}
