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
    /** Digits of the whole code: 13 (EAN-13) or 18 (the Chinese scales' amount + weight form). */
    length: z.union([z.literal(13), z.literal(18)]).optional(),
    /** Digits of the item code (PLU) after the prefix. */
    itemDigits: z.number().int().min(1).max(8),
    /** What the value field holds; 'price-weight': the amount, then a weight field (18-digit form). */
    measure: z.enum(['weight', 'price', 'price-weight']),
    /** Digits of the value field (the amount for 'price-weight'). */
    valueDigits: z.number().int().min(3).max(6),
    /** Implied decimals: weight in kg (3 = grams, 2 = 10 g), price in currency units (2 = fen for CNY). */
    decimals: z.number().int().min(0).max(3),
    /** 'price-weight' only: digits of the weight field after the amount, and its kg decimals. */
    weightDigits: z.number().int().min(3).max(6).optional(),
    weightDecimals: z.number().int().min(0).max(3).optional(),
    /** A GS1 price/weight check digit (4- or 5-digit algorithm) sits right before the value. */
    priceCheckDigit: z.boolean(),
    /** How the scale sold it: 'weighed' (计重) or 'counted' (计件); reported back, informs the UI only. */
    sold: z.enum(['weighed', 'counted']).optional(),
  })
  .superRefine((r, ctx) => {
    const weight = r.measure === 'price-weight' ? (r.weightDigits ?? 0) : 0;
    if (r.measure === 'price-weight' && r.weightDigits === undefined)
      ctx.addIssue({ code: 'custom', message: "a 'price-weight' rule needs weightDigits" });
    for (const p of r.prefixes) {
      const total = p.length + r.itemDigits + (r.priceCheckDigit ? 1 : 0) + r.valueDigits + weight + 1;
      if (total !== (r.length ?? 13))
        ctx.addIssue({
          code: 'custom',
          message: `prefix ${p}: parts add up to ${total} digits, the code has ${r.length ?? 13}`,
        });
    }
    if (r.priceCheckDigit && r.valueDigits !== 4 && r.valueDigits !== 5) {
      ctx.addIssue({ code: 'custom', message: 'the price check digit is defined for 4- or 5-digit values only' });
    }
  });

export type VariableMeasureRule = z.infer<typeof variableMeasureRuleSchema>;

const CN_AMOUNT_13: VariableMeasureRule[] = [
  {
    id: 'cn-counted-amount',
    prefixes: ['20'],
    length: 13,
    itemDigits: 5,
    measure: 'price',
    valueDigits: 5,
    decimals: 2,
    priceCheckDigit: false,
    sold: 'counted',
  },
  {
    id: 'cn-weighed-amount',
    prefixes: ['21', '22', '23', '24', '25', '26', '27', '28', '29'],
    length: 13,
    itemDigits: 5,
    measure: 'price',
    valueDigits: 5,
    decimals: 2,
    priceCheckDigit: false,
    sold: 'weighed',
  },
];

const CN_AMOUNT_WEIGHT_18: VariableMeasureRule = {
  id: 'cn-amount-weight-18',
  prefixes: ['26'],
  length: 18,
  itemDigits: 5,
  measure: 'price-weight',
  valueDigits: 5,
  decimals: 2,
  weightDigits: 5,
  weightDecimals: 3,
  priceCheckDigit: false,
  sold: 'weighed',
};

/**
 * Label layouts by scale brand. 大华 (Dahua) and 顶尖 (Aclas) label scales print, out of the box,
 * `FF CCCCC XXXXX C`: a 2-digit flag (20 = counted 计件, 21 = weighed 计重; stores also use other
 * 2x flags per department), the 5-digit PLU, the amount in fen and the EAN-13 check; and the
 * 18-digit `26 CCCCC MMMMM WWWWW C` (amount in fen, then weight in grams, EAN mod-10 check over
 * 17 digits). 'gs1-europe' is the GS1 restricted-circulation layout many European scales print:
 * 20–24 weight in grams, 25–29 price, no price check digit (add one with a custom rule).
 * See docs/barcodes.md.
 */
export const SCALE_LABEL_PRESETS = {
  'cn-scale': [...CN_AMOUNT_13, CN_AMOUNT_WEIGHT_18],
  dahua: [...CN_AMOUNT_13, CN_AMOUNT_WEIGHT_18],
  aclas: [...CN_AMOUNT_13, CN_AMOUNT_WEIGHT_18],
  'gs1-europe': [
    {
      id: 'weight-grams',
      prefixes: ['20', '21', '22', '23', '24'],
      length: 13,
      itemDigits: 5,
      measure: 'weight',
      valueDigits: 5,
      decimals: 3,
      priceCheckDigit: false,
      sold: 'weighed',
    },
    {
      id: 'price-fen',
      prefixes: ['25', '26', '27', '28', '29'],
      length: 13,
      itemDigits: 5,
      measure: 'price',
      valueDigits: 5,
      decimals: 2,
      priceCheckDigit: false,
    },
  ],
} satisfies Record<string, VariableMeasureRule[]>;

export type ScaleLabelPreset = keyof typeof SCALE_LABEL_PRESETS;
export const SCALE_LABEL_PRESET_NAMES = Object.keys(SCALE_LABEL_PRESETS) as ScaleLabelPreset[];

/**
 * Shipped defaults: the layout Chinese label scales print (preset 'cn-scale'): 13-digit
 * flag + PLU + amount in fen (20 counted, 21–29 weighed) and the 18-digit 26 form with both
 * amount and weight.
 */
export const DEFAULT_VARIABLE_MEASURE_RULES: VariableMeasureRule[] = SCALE_LABEL_PRESETS['cn-scale'];

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
  sold?: 'weighed' | 'counted';
}

/** Finds the rule for a code of its length (already EAN-13 check-digit valid), or undefined. */
export function findRule(
  code: string,
  rules: readonly VariableMeasureRule[],
): { rule: VariableMeasureRule; prefix: string } | undefined {
  for (const rule of rules) {
    if ((rule.length ?? 13) !== code.length) continue;
    for (const prefix of rule.prefixes) if (code.startsWith(prefix)) return { rule, prefix };
  }
  return undefined;
}

function grams(value: string, kgDecimals: number): number {
  const g = Number(value) * 10 ** (3 - kgDecimals);
  if (!(g > 0)) fail('bad-weight', 'zero weight');
  return g;
}

export function readVariableMeasure(
  code: string,
  rule: VariableMeasureRule,
  prefix: string,
  currencyIso: string,
): VariableMeasureMatch {
  let pos = prefix.length;
  const itemCode = code.slice(pos, pos + rule.itemDigits);
  pos += rule.itemDigits;
  if (rule.priceCheckDigit) {
    const given = Number(code[pos]);
    const value = code.slice(pos + 1, pos + 1 + rule.valueDigits);
    if (priceCheckDigit(value) !== given) fail('price-check-digit');
    pos += 1;
  }
  const value = code.slice(pos, pos + rule.valueDigits);
  const out: VariableMeasureMatch = {
    prefix,
    itemCode,
    itemKey: variableMeasureItemKey(prefix, itemCode),
    rule: rule.id,
  };
  if (rule.sold) out.sold = rule.sold;
  if (rule.measure === 'weight') {
    out.weightGrams = grams(value, rule.decimals);
  } else {
    const fen = toMinorUnits(value, rule.decimals, minorDigits(currencyIso));
    if (fen === null || fen <= 0) fail('bad-price', 'zero price');
    out.price = fen;
  }
  if (rule.measure === 'price-weight') {
    pos += rule.valueDigits;
    out.weightGrams = grams(code.slice(pos, pos + (rule.weightDigits ?? 0)), rule.weightDecimals ?? 3);
  }
  return out;
}
