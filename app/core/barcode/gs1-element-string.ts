// GS1 element strings (what GS1-128, GS1 DataMatrix, GS1 QR and DataBar carry): splits them
// into (AI, value) pairs — FNC1 as ASCII GS or the human-readable "(01)…(10)…" form — then
// validates each value and reads the fields a till needs.
import { hasValidGs1CheckDigit } from './check-digit';
import { CSET82, lookupAi, lookupAiAt, predefinedLength, type AiSpec } from './gs1-ai-table';
import { gs1DateToIso } from './gs1-date';
import { isoNumeric, minorDigits, toMinorUnits } from './currency';
import { fail } from './invalid';

export const GS = '\u001d';

export type AiPair = readonly [ai: string, value: string];

/** Walks an FNC1/GS-separated element string. Fixed-length AIs need no separator. */
export function splitElementString(s: string): AiPair[] {
  const pairs: AiPair[] = [];
  let pos = 0;
  while (pos < s.length) {
    if (s[pos] === GS) {
      pos++;
      continue;
    }
    const ai2 = s.slice(pos, pos + 2);
    if (!/^\d\d$/.test(ai2)) {
      if (ai2.length < 2) fail('truncated', `AI at ${pos}`);
      fail('bad-characters', `AI expected at position ${pos + 1}`);
    }
    const spec = lookupAiAt(s, pos);
    const pre = predefinedLength(ai2);
    let ai: string;
    if (spec) ai = spec.ai;
    else if (pre) ai = s.slice(pos, pos + pre.aiLength);
    else fail('unknown-ai', `AI ${s.slice(pos, pos + 4)}`);
    if (ai.length < (spec?.ai.length ?? pre!.aiLength) || !/^\d+$/.test(ai)) fail('truncated', `AI ${ai}`);
    pos += ai.length;
    let value: string;
    if (pre) {
      value = s.slice(pos, pos + pre.dataLength);
      const gsAt = value.indexOf(GS);
      if (value.length < pre.dataLength || gsAt >= 0) fail('truncated', `AI ${ai}`);
      pos += pre.dataLength;
    } else {
      const end = s.indexOf(GS, pos);
      value = end < 0 ? s.slice(pos) : s.slice(pos, end);
      pos = end < 0 ? s.length : end + 1;
    }
    pairs.push([ai, value]);
  }
  if (pairs.length === 0) fail('truncated', 'no data');
  return pairs;
}

const BRACKET_AI = /\((\d{2,4})\)/g;

/** Reads the human-readable form "(01)09520123456788(17)261231(10)ABC". */
export function splitBracketed(s: string): AiPair[] {
  const marks = [...s.matchAll(BRACKET_AI)];
  if (marks.length === 0 || marks[0]!.index !== 0) fail('bad-characters', 'expected (AI) at start');
  const pairs: AiPair[] = [];
  for (let i = 0; i < marks.length; i++) {
    const m = marks[i]!;
    const start = m.index + m[0].length;
    const end = i + 1 < marks.length ? marks[i + 1]!.index : s.length;
    // Spaces are not in the GS1 character set, so spaces typed around values are noise.
    pairs.push([m[1]!, s.slice(start, end).trim()]);
  }
  return pairs;
}

/** Validates one value against its AI; unknown AIs pass only where the predefined table fixes their length. */
export function checkAiValue(ai: string, value: string): void {
  const spec: AiSpec | undefined = lookupAi(ai);
  if (!spec) {
    const pre = predefinedLength(ai.slice(0, 2));
    if (!pre || pre.aiLength !== ai.length) fail('unknown-ai', `AI ${ai}`);
    if (value.length < pre.dataLength) fail('truncated', `AI ${ai}`);
    if (value.length > pre.dataLength) fail('value-too-long', `AI ${ai}`);
    if (!/^\d+$/.test(value)) fail('bad-characters', `AI ${ai}`);
    return;
  }
  if (value.length === 0) fail('truncated', `AI ${ai}`);
  if (value.length > spec.max) fail('value-too-long', `AI ${ai}`);
  if (spec.charset === 'n' ? !/^\d+$/.test(value) : !CSET82.test(value)) fail('bad-characters', `AI ${ai}`);
  if (value.length < spec.min) fail(spec.min === spec.max ? 'truncated' : 'bad-value', `AI ${ai}`);
  if (spec.check && !hasValidGs1CheckDigit(value)) fail('check-digit', `AI ${ai}`);
  if (spec.date && gs1DateToIso(value) === null) fail('bad-date', `AI ${ai} ${value}`);
}

export interface Gs1Fields {
  gtin?: string;
  batch?: string;
  expiry?: string;
  bestBefore?: string;
  serial?: string;
  weightGrams?: number;
  price?: number;
  ais: Record<string, string>;
}

export interface Gs1ReadOptions {
  currencyIso: string;
  referenceYear?: number;
}

/** Validates pairs (no conflicting duplicates) and lifts the fields the till uses. */
export function readGs1Fields(pairs: readonly AiPair[], opts: Gs1ReadOptions): Gs1Fields {
  const ais: Record<string, string> = {};
  for (const [ai, value] of pairs) {
    checkAiValue(ai, value);
    const seen = ais[ai];
    if (seen !== undefined && seen !== value) fail('duplicate-ai', `AI ${ai}`);
    ais[ai] = value;
  }
  const out: Gs1Fields = { ais };
  if (ais['01'] !== undefined) out.gtin = ais['01'];
  if (ais['10'] !== undefined) out.batch = ais['10'];
  if (ais['21'] !== undefined) out.serial = ais['21'];
  if (ais['17'] !== undefined) out.expiry = gs1DateToIso(ais['17'], opts.referenceYear) ?? fail('bad-date', 'AI 17');
  if (ais['15'] !== undefined)
    out.bestBefore = gs1DateToIso(ais['15'], opts.referenceYear) ?? fail('bad-date', 'AI 15');

  for (const [ai, value] of Object.entries(ais)) {
    if (out.weightGrams === undefined && ai.startsWith('310')) {
      const decimals = Number(ai[3]);
      if (decimals > 5) fail('bad-weight', `AI ${ai}`);
      // kg with `decimals` places → grams, rounded to the gram when the label is finer than that.
      const grams = Math.round(Number(value) * 10 ** (3 - decimals));
      if (grams <= 0) fail('bad-weight', `AI ${ai}`);
      out.weightGrams = grams;
    }
    if (out.price === undefined && ai.startsWith('392')) {
      const fen = toMinorUnits(value, Number(ai[3]), minorDigits(opts.currencyIso));
      if (fen === null) fail('bad-price', `AI ${ai}`);
      out.price = fen;
    }
  }
  if (out.price === undefined) {
    // 393x carries its own ISO 4217 numeric currency; use it only when it is the store's.
    for (const [ai, value] of Object.entries(ais)) {
      if (!ai.startsWith('393')) continue;
      if (value.slice(0, 3) !== isoNumeric(opts.currencyIso)) continue;
      const fen = toMinorUnits(value.slice(3), Number(ai[3]), minorDigits(opts.currencyIso));
      if (fen === null) fail('bad-price', `AI ${ai}`);
      out.price = fen;
      break;
    }
  }
  return out;
}
