// The one entry the till calls on every scan: cleans what the scanner sent (suffixes, AIM
// symbology identifier, full-width digits from an IME) and decides what kind of code it is.
// Never throws: anything it cannot read comes back as { ok: false, reason, message (English), detail }.
import { hasValidGs1CheckDigit } from './check-digit';
import { matchGtin, type GtinSymbology } from './gtin';
import { GS, readGs1Fields, splitBracketed, splitElementString, type AiPair } from './gs1-element-string';
import { looksLikeUrl, splitDigitalLink } from './digital-link';
import { BarcodeFailure, invalid, type BarcodeInvalid } from './invalid';
import {
  DEFAULT_VARIABLE_MEASURE_RULES,
  findRule,
  readVariableMeasure,
  type VariableMeasureRule,
} from './variable-measure';

export type Gs1Source = 'gs1-128' | 'datamatrix' | 'digital-link' | 'gs1-qr' | 'gs1-databar';

export type ParsedBarcode =
  | { ok: true; kind: 'gtin'; symbology: GtinSymbology; raw: string; gtin: string }
  | {
      ok: true;
      kind: 'variable-measure';
      raw: string;
      prefix: string;
      itemCode: string;
      itemKey: string;
      rule: string;
      weightGrams?: number;
      price?: number;
      sold?: 'weighed' | 'counted';
    }
  | {
      ok: true;
      kind: 'gs1';
      source: Gs1Source;
      raw: string;
      gtin?: string;
      batch?: string;
      expiry?: string;
      bestBefore?: string;
      serial?: string;
      weightGrams?: number;
      price?: number;
      ais: Record<string, string>;
    }
  | BarcodeInvalid;

export interface ParseBarcodeOptions {
  /** Store's variable-measure label rules; defaults to DEFAULT_VARIABLE_MEASURE_RULES. Validate config with variableMeasureRuleSchema. */
  variableMeasureRules?: readonly VariableMeasureRule[];
  /** Currency prices are returned in (minor units). Default 'CNY' → fen. */
  currencyIso?: string;
  /** Year for the GS1 two-digit-year window (pass the store's current year). Without it YY → 20YY. */
  referenceYear?: number;
}

/** Longest input we look at; the RPC contract caps scans at 512 characters. */
const MAX_LENGTH = 4096;

// AIM symbology identifiers (ISO/IEC 15424) that mean "GS1 element string follows".
const GS1_AIM: Record<string, Gs1Source> = {
  ']C1': 'gs1-128',
  ']d2': 'datamatrix',
  ']Q3': 'gs1-qr',
  ']e0': 'gs1-databar',
};

/** Full-width ASCII (what a keyboard-wedge scanner types while a Chinese IME is on) → ASCII. */
function halfWidth(s: string): string {
  return s.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

const isBlank = (c: number) => c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x3000 || c === 0xfeff;

/** Trims blanks at both ends and GS at the end, in linear time (a regex here can go quadratic). */
function trimScan(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isBlank(s.charCodeAt(start))) start++;
  while (end > start && (isBlank(s.charCodeAt(end - 1)) || s.charCodeAt(end - 1) === 0x1d)) end--;
  return s.slice(start, end);
}

export function parseBarcode(raw: string, opts: ParseBarcodeOptions = {}): ParsedBarcode {
  try {
    return parse(raw, opts);
  } catch (e) {
    if (e instanceof BarcodeFailure) return e.result;
    // A bug of ours must not take the till down; the cashier can still key the item in.
    return invalid('bad-characters', 'unreadable');
  }
}

function parse(input: unknown, opts: ParseBarcodeOptions): ParsedBarcode {
  if (typeof input !== 'string') return invalid('empty');
  if (input.length > MAX_LENGTH) return invalid('wrong-length');
  // Scanner suffixes (CR, LF, TAB), stray spaces and trailing FNC1s are not part of the code.
  let s = trimScan(halfWidth(input));
  if (s.length === 0) return invalid('empty');

  let source: Gs1Source | undefined;
  let only: 'EAN-8' | 'UPC-E' | undefined;
  const aim = /^\][A-Za-z][0-9A-Za-z]/.exec(s)?.[0];
  if (aim) {
    source = GS1_AIM[aim];
    if (aim === ']E4') only = 'EAN-8';
    s = s.slice(3);
    if (s.length === 0) return invalid('empty');
  }
  // Any control character other than GS (FNC1) is line noise or a misconfigured scanner.
  // eslint-disable-next-line no-control-regex -- matching control characters is the point of this check
  if (/[\u0000-\u001c\u001e\u001f\u007f]/.test(s)) return invalid('control-char');

  const rules = opts.variableMeasureRules ?? DEFAULT_VARIABLE_MEASURE_RULES;
  const currencyIso = opts.currencyIso ?? 'CNY';
  const gs1 = (pairs: AiPair[], src: Gs1Source): ParsedBarcode => ({
    ok: true,
    kind: 'gs1',
    source: src,
    raw: s,
    ...readGs1Fields(pairs, { currencyIso, referenceYear: opts.referenceYear }),
  });

  if (source) return s.startsWith('(') ? gs1(splitBracketed(s), source) : gs1(splitElementString(s), source);
  if (looksLikeUrl(s)) return gs1(splitDigitalLink(s), 'digital-link');
  // Without an AIM identifier we cannot tell GS1-128 from DataMatrix; GS1-128 is the usual one on food cartons.
  if (s.startsWith('(')) return gs1(splitBracketed(s), 'gs1-128');
  if (s.includes(GS)) return gs1(splitElementString(s), 'gs1-128');
  // A GS1-128 whose scanner sends neither the AIM prefix nor GS still starts with a fixed-length key.
  if (/^0[0-3]\d{14}./.test(s)) return gs1(splitElementString(s), 'gs1-128');
  if (!/^\d+$/.test(s)) return invalid('bad-characters');

  if (s.length === 13 || s.length === 18) {
    const vm = findRule(s, rules);
    if (vm) {
      // 13 digits: the EAN-13 check; 18 digits: the same mod-10 check over the first 17.
      if (s.length === 13 ? matchGtin(s) === 'check' : !hasValidGs1CheckDigit(s)) return invalid('check-digit');
      return { ok: true, kind: 'variable-measure', raw: s, ...readVariableMeasure(s, vm.rule, vm.prefix, currencyIso) };
    }
  }
  if (s.length >= 16) return gs1(splitElementString(s), 'gs1-128');
  const m = matchGtin(s, only);
  if (m === 'length') return invalid('wrong-length', `${s.length} digits`, s.length);
  if (m === 'check') return invalid('check-digit');
  return { ok: true, kind: 'gtin', symbology: m.symbology, raw: s, gtin: m.gtin };
}
