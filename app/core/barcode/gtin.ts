// Retail GTIN barcodes (EAN-13, EAN-8, UPC-A, UPC-E, GTIN-14): check-digit validation,
// UPC-E expansion, and normalisation to the 14-digit GTIN the catalog stores.
import { gs1CheckDigit, hasValidGs1CheckDigit } from './check-digit';

export type GtinSymbology = 'EAN-13' | 'EAN-8' | 'UPC-A' | 'UPC-E' | 'GTIN-14';

const DIGITS = /^\d+$/;

/**
 * Expands a UPC-E code to its 12-digit UPC-A. Accepts 6 digits (number system 0 assumed,
 * check computed), 7 digits (number system + 6, check computed) or 8 digits (number system +
 * 6 + check, check carried over unchanged — validate the result with toGtin14).
 * Throws RangeError for anything else; parseBarcode never lets that escape.
 */
export function expandUpcE(upce: string): string {
  if (!DIGITS.test(upce) || upce.length < 6 || upce.length > 8) throw new RangeError('UPC-E is 6, 7 or 8 digits');
  const ns = upce.length === 6 ? '0' : upce[0]!;
  if (ns !== '0' && ns !== '1') throw new RangeError('UPC-E number system must be 0 or 1');
  const d = upce.length === 6 ? upce : upce.slice(1, 7);
  const last = d[5]!;
  let body: string;
  switch (last) {
    case '0':
    case '1':
    case '2':
      body = `${d[0]}${d[1]}${last}0000${d[2]}${d[3]}${d[4]}`;
      break;
    case '3':
      body = `${d[0]}${d[1]}${d[2]}00000${d[3]}${d[4]}`;
      break;
    case '4':
      body = `${d[0]}${d[1]}${d[2]}${d[3]}00000${d[4]}`;
      break;
    default:
      body = `${d[0]}${d[1]}${d[2]}${d[3]}${d[4]}0000${last}`;
  }
  const first11 = ns + body;
  const check = upce.length === 8 ? upce[7]! : String(gs1CheckDigit(first11));
  return first11 + check;
}

/**
 * Compresses a UPC-A to UPC-E (8 digits) where the GS1 zero-suppression rules allow, else null.
 * The check digit is carried over. Used by tests and by label tools, not by the scan path.
 */
export function compressUpcA(upca: string): string | null {
  if (upca.length !== 12 || !DIGITS.test(upca)) return null;
  const ns = upca[0]!;
  if (ns !== '0' && ns !== '1') return null;
  const m = upca.slice(1, 6); // manufacturer
  const p = upca.slice(6, 11); // product
  const c = upca[11]!;
  let six: string | null = null;
  if (/^\d\d[012]00$/.test(m) && p.startsWith('00')) six = `${m[0]}${m[1]}${p.slice(2)}${m[2]}`;
  else if (/^\d\d\d00$/.test(m) && p.startsWith('000')) six = `${m.slice(0, 3)}${p.slice(3)}3`;
  else if (/^\d{4}0$/.test(m) && p.startsWith('0000')) six = `${m.slice(0, 4)}${p[4]}4`;
  else if (m[4] !== '0' && /^0000[5-9]$/.test(p)) six = `${m}${p[4]}`;
  return six === null ? null : ns + six + c;
}

export interface GtinMatch {
  symbology: GtinSymbology;
  gtin: string;
}

/**
 * Reads an all-digit code as a retail GTIN. 8 digits are ambiguous: a code starting with 0 or 1
 * whose check digit is right as UPC-E is taken as UPC-E, otherwise as EAN-8 (an AIM symbology
 * identifier, when the scanner sends one, settles it before we get here via `only`).
 * Returns 'length' / 'check' to let the caller say what was wrong.
 */
export function matchGtin(code: string, only?: 'EAN-8' | 'UPC-E'): GtinMatch | 'length' | 'check' {
  switch (code.length) {
    case 8: {
      if (only !== 'EAN-8' && (code[0] === '0' || code[0] === '1')) {
        const upca = expandUpcE(code);
        if (hasValidGs1CheckDigit(upca)) return { symbology: 'UPC-E', gtin: upca.padStart(14, '0') };
        if (only === 'UPC-E') return 'check';
      }
      if (only === 'UPC-E') return 'check';
      return hasValidGs1CheckDigit(code) ? { symbology: 'EAN-8', gtin: code.padStart(14, '0') } : 'check';
    }
    case 12:
      return hasValidGs1CheckDigit(code) ? { symbology: 'UPC-A', gtin: code.padStart(14, '0') } : 'check';
    case 13:
      return hasValidGs1CheckDigit(code) ? { symbology: 'EAN-13', gtin: code.padStart(14, '0') } : 'check';
    case 14:
      return hasValidGs1CheckDigit(code) ? { symbology: 'GTIN-14', gtin: code } : 'check';
    default:
      return 'length';
  }
}

/** EAN-13/EAN-8/UPC-A/UPC-E/GTIN-14 with a valid check digit → 14-digit GTIN, else null. */
export function toGtin14(code: string): string | null {
  if (typeof code !== 'string' || !DIGITS.test(code)) return null;
  const m = matchGtin(code);
  return typeof m === 'string' ? null : m.gtin;
}
