// In-store variable-measure labels (GS1 restricted circulation numbers, prefix 20–29) printed
// by the deli/produce scale: prefix + item code + [price/weight check digit] + value + EAN check.
// Which prefixes mean weight or price, and how many digits each part has, differs per store and
// per scale brand, so it is configuration (validated with `variableMeasureRuleSchema`).
import { z } from 'zod';
import { priceCheckDigit } from './check-digit';
import { minorDigits, toMinorUnits } from './currency';
import { fail } from './invalid';

export const variableMeasureRuleSchema = z
  .object({
    /** Stable name, reported back as `rule` in the parse result. */
    id: z.string().min(1).max(40),
    /** Leading digits this rule claims, e.g. ['20','21']. Rules are tried in order; first match wins. */
    prefixes: z.array(z.string().regex(/^2\d{0,2}$/, 'variable-measure prefixes start with 2')).min(1),
    /** Digits of the item code (PLU) after the prefix. */
    itemDigits: z.number().int().min(1).max(8),
    /** What the value field holds. */
    measure: z.enum(['weight', 'price']),
    /** Digits of the value field. */
    valueDigits: z.number().int().min(3).max(6),
    /** Implied decimals: weight in kg (3 = grams, 2 = 10 g), price in currency units (2 = fen for CNY). */
    decimals: z.number().int().min(0).max(3),
    /** A GS1 price/weight check digit (4- or 5-digit algorithm) sits right before the value. */
    priceCheckDigit: z.boolean(),
  })
  .superRefine((r, ctx) => {
    for (const p of r.prefixes) {
      const total = p.length + r.itemDigits + (r.priceCheckDigit ? 1 : 0) + r.valueDigits + 1;
      if (total !== 13)
        ctx.addIssue({ code: 'custom', message: `prefix ${p}: parts add up to ${total} digits, an EAN-13 has 13` });
    }
    if (r.priceCheckDigit && r.valueDigits !== 4 && r.valueDigits !== 5) {
      ctx.addIssue({ code: 'custom', message: 'the price check digit is defined for 4- or 5-digit values only' });
    }
  });

export type VariableMeasureRule = z.infer<typeof variableMeasureRuleSchema>;

/**
 * Shipped defaults, matching the EAN-13 layout Chinese retail scales commonly print:
 * 2-digit flag + 5-digit PLU + 5-digit value + EAN check, no price check digit.
 * 20–24: weight in grams (max 99.999 kg). 25–29: price in fen (max ¥999.99).
 */
export const DEFAULT_VARIABLE_MEASURE_RULES: VariableMeasureRule[] = [
  {
    id: 'weight-grams',
    prefixes: ['20', '21', '22', '23', '24'],
    itemDigits: 5,
    measure: 'weight',
    valueDigits: 5,
    decimals: 3,
    priceCheckDigit: false,
  },
  {
    id: 'price-fen',
    prefixes: ['25', '26', '27', '28', '29'],
    itemDigits: 5,
    measure: 'price',
    valueDigits: 5,
    decimals: 2,
    priceCheckDigit: false,
  },
];

/**
 * The catalog key of a weighed item: the label prefix followed by the item code, e.g. prefix
 * '21' + PLU '00123' → '2100123'. Stored in the product's barcodes[] as is. 6–10 digits, so it
 * never collides with a GTIN (stored as 14 digits). A product sold under both a weight and a
 * price label lists both keys.
 */
export function variableMeasureItemKey(prefix: string, itemCode: string): string {
  return prefix + itemCode;
}

export interface VariableMeasureMatch {
  prefix: string;
  itemCode: string;
  itemKey: string;
  rule: string;
  weightGrams?: number;
  price?: number;
}

/** Finds the rule for a 13-digit code (already EAN-13 check-digit valid), or undefined. */
export function findRule(
  code13: string,
  rules: readonly VariableMeasureRule[],
): { rule: VariableMeasureRule; prefix: string } | undefined {
  for (const rule of rules) {
    for (const prefix of rule.prefixes) if (code13.startsWith(prefix)) return { rule, prefix };
  }
  return undefined;
}

export function readVariableMeasure(
  code13: string,
  rule: VariableMeasureRule,
  prefix: string,
  currencyIso: string,
): VariableMeasureMatch {
  let pos = prefix.length;
  const itemCode = code13.slice(pos, pos + rule.itemDigits);
  pos += rule.itemDigits;
  if (rule.priceCheckDigit) {
    const given = Number(code13[pos]);
    const value = code13.slice(pos + 1, pos + 1 + rule.valueDigits);
    if (priceCheckDigit(value) !== given) fail('price-check-digit');
    pos += 1;
  }
  const value = code13.slice(pos, pos + rule.valueDigits);
  const out: VariableMeasureMatch = {
    prefix,
    itemCode,
    itemKey: variableMeasureItemKey(prefix, itemCode),
    rule: rule.id,
  };
  if (rule.measure === 'weight') {
    const grams = Number(value) * 10 ** (3 - rule.decimals);
    if (grams <= 0) fail('bad-weight', 'zero weight');
    out.weightGrams = grams;
  } else {
    const fen = toMinorUnits(value, rule.decimals, minorDigits(currencyIso));
    if (fen === null || fen <= 0) fail('bad-price', 'zero price');
    out.price = fen;
  }
  return out;
}
