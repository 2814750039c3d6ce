// Property tests: round trips through the parser and "never throws" on arbitrary input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gs1CheckDigit, priceCheckDigit } from './check-digit';
import { compressUpcA, expandUpcE, toGtin14 } from './gtin';
import { parseBarcode } from './parse-barcode';
import { SCALE_LABEL_PRESETS, type VariableMeasureRule } from './variable-measure';
import { checkLabelAmount } from './label-amount-check';
import { parsePluExportCsv, pluExportCsv } from './plu-export';

const GS = '\u001d';
const digits = (min: number, max = min) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
const withCheck = (d: string): string => d + gs1CheckDigit(d);
const NO_RULES = { variableMeasureRules: [] };

describe('GTIN round trips', () => {
  it('any 12 digits + check digit parse as EAN-13 to the same GTIN', () => {
    fc.assert(
      fc.property(digits(12), (d) => {
        const code = withCheck(d);
        const r = parseBarcode(code, NO_RULES);
        expect(r).toMatchObject({ ok: true, kind: 'gtin', symbology: 'EAN-13', gtin: '0' + code });
        expect(toGtin14(code)).toBe('0' + code);
      }),
    );
  });
  it('any 11 digits + check parse as UPC-A; any 13 digits + check as GTIN-14', () => {
    fc.assert(
      fc.property(digits(11), digits(13), (a, b) => {
        expect(parseBarcode(withCheck(a))).toMatchObject({ ok: true, symbology: 'UPC-A', gtin: '00' + withCheck(a) });
        expect(parseBarcode(withCheck(b))).toMatchObject({ ok: true, symbology: 'GTIN-14', gtin: withCheck(b) });
      }),
    );
  });
  it('changing any one digit of an EAN-13, UPC-A or GTIN-14 is rejected', () => {
    fc.assert(
      fc.property(fc.constantFrom(11, 12, 13), fc.nat(), fc.integer({ min: 1, max: 9 }), (len, seed, delta) => {
        const code = withCheck(
          String(seed * 7919)
            .padStart(len, '1')
            .slice(-len),
        );
        const i = seed % code.length;
        const mutated = code.slice(0, i) + ((Number(code[i]) + delta) % 10) + code.slice(i + 1);
        const r = parseBarcode(mutated, NO_RULES);
        expect(r).toMatchObject({ ok: false, reason: 'check-digit' });
      }),
    );
  });
  it('changing any one digit of an arbitrary EAN-13 is rejected', () => {
    fc.assert(
      fc.property(digits(12), fc.nat(12), fc.integer({ min: 1, max: 9 }), (d, i, delta) => {
        const code = withCheck(d);
        const mutated = code.slice(0, i) + ((Number(code[i]) + delta) % 10) + code.slice(i + 1);
        expect(parseBarcode(mutated, NO_RULES)).toMatchObject({ ok: false, reason: 'check-digit' });
        expect(toGtin14(mutated)).toBeNull();
      }),
    );
  });
  it('UPC-E expands to a UPC-A that compresses back to the same expansion', () => {
    fc.assert(
      fc.property(fc.constantFrom('0', '1'), digits(6), (ns, six) => {
        const upca = expandUpcE(ns + six);
        expect(upca).toHaveLength(12);
        const upce8 = ns + six + upca[11];
        expect(expandUpcE(upce8)).toBe(upca);
        expect(toGtin14(upce8)).toBe('00' + upca);
        const back = compressUpcA(upca);
        expect(back).not.toBeNull();
        expect(expandUpcE(back!)).toBe(upca);
      }),
    );
  });
});

describe('variable-measure round trips', () => {
  const rule: VariableMeasureRule = {
    id: 'pcd',
    prefixes: ['29'],
    itemDigits: 5,
    measure: 'price',
    valueDigits: 4,
    decimals: 2,
    priceCheckDigit: true,
  };
  it('default (Chinese scale) 13-digit labels give back item key and amount', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 20, max: 29 }),
        digits(5),
        fc.integer({ min: 1, max: 99999 }),
        (prefix, item, value) => {
          const code = withCheck(`${prefix}${item}${String(value).padStart(5, '0')}`);
          const r = parseBarcode(code);
          expect(r).toMatchObject({ ok: true, kind: 'variable-measure', itemKey: `${prefix}${item}`, price: value });
          expect(r.ok && r.kind === 'variable-measure' && r.sold).toBe(prefix === 20 ? 'counted' : 'weighed');
        },
      ),
    );
  });
  it('18-digit labels round-trip amount and weight; any one changed digit is refused', () => {
    fc.assert(
      fc.property(
        digits(5),
        fc.integer({ min: 1, max: 99999 }),
        fc.integer({ min: 1, max: 99999 }),
        fc.nat(17),
        fc.integer({ min: 1, max: 9 }),
        (item, amount, grams, i, delta) => {
          const code = withCheck(`26${item}${String(amount).padStart(5, '0')}${String(grams).padStart(5, '0')}`);
          expect(parseBarcode(code)).toMatchObject({
            ok: true,
            itemKey: `26${item}`,
            price: amount,
            weightGrams: grams,
          });
          const mutated = code.slice(0, i) + ((Number(code[i]) + delta) % 10) + code.slice(i + 1);
          const r = parseBarcode(mutated);
          // A changed flag may leave the scale-label space: then it is read as some other kind of
          // code (a GS1 element string with its own complaint) or refused; never as this label.
          if (r.ok) expect(r).not.toMatchObject({ price: amount, weightGrams: grams, itemKey: `26${item}` });
          else expect(r.reason).toMatch(/^[a-z-]+$/);
        },
      ),
    );
  });
  it('GS1/European preset: weight labels 20–24, price labels 25–29', () => {
    const eu = { variableMeasureRules: SCALE_LABEL_PRESETS['gs1-europe'] };
    fc.assert(
      fc.property(
        fc.integer({ min: 20, max: 29 }),
        digits(5),
        fc.integer({ min: 1, max: 99999 }),
        (prefix, item, value) => {
          const r = parseBarcode(withCheck(`${prefix}${item}${String(value).padStart(5, '0')}`), eu);
          expect(r.ok && r.kind === 'variable-measure' && (prefix < 25 ? r.weightGrams : r.price)).toBe(value);
        },
      ),
    );
  });
  it('the amount check accepts weight × price per kg within the tolerance and flags anything else', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 99999 }),
        fc.integer({ min: 1, max: 50000 }),
        fc.integer({ min: -500, max: 500 }),
        (grams, perKg, off) => {
          const exact = Math.round((grams * perKg) / 1000);
          const c = checkLabelAmount({ price: exact + off, weightGrams: grams }, perKg, 1);
          expect(c.expected).toBe(exact);
          expect(c.difference).toBe(off);
          expect(c.ok).toBe(Math.abs(off) <= 1);
        },
      ),
    );
  });
  it('the PLU export file reads back to the same records (names with commas, quotes and line breaks)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            plu: digits(5),
            sku: fc.string({ minLength: 1, maxLength: 10 }).map((s) => s.replace(/[\r\n]/g, '')),
            name: fc.string({ maxLength: 20 }).map((s) => s.replace(/[\r\n]/g, '')),
            price: fc.integer({ min: 0, max: 9_999_999 }),
            sold: fc.constantFrom('weighed' as const, 'counted' as const),
            shelfLifeDays: fc.integer({ min: 0, max: 365 }),
            flag: fc.constantFrom('20', '21', '26'),
          }),
          { maxLength: 20 },
        ),
        (records) => {
          expect(parsePluExportCsv(pluExportCsv(records))).toEqual(records);
        },
      ),
    );
  });
  it('price check digit labels round-trip, and a wrong price check digit is caught', () => {
    fc.assert(
      fc.property(
        digits(5),
        fc.integer({ min: 1, max: 9999 }),
        fc.integer({ min: 1, max: 9 }),
        (item, value, delta) => {
          const v = String(value).padStart(4, '0');
          const pcd = priceCheckDigit(v);
          expect(parseBarcode(withCheck(`29${item}${pcd}${v}`), { variableMeasureRules: [rule] })).toMatchObject({
            ok: true,
            price: value,
          });
          const bad = withCheck(`29${item}${(pcd + delta) % 10}${v}`);
          expect(parseBarcode(bad, { variableMeasureRules: [rule] })).toMatchObject({
            ok: false,
            reason: 'price-check-digit',
          });
        },
      ),
    );
  });
});

// Values for the element-string round trip.
const cset82 = fc.string({
  unit: fc.constantFrom(...'!"%&\'*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz'),
  minLength: 1,
  maxLength: 20,
});
const date = fc.record({
  y: fc.integer({ min: 0, max: 99 }),
  m: fc.integer({ min: 1, max: 12 }),
  d: fc.integer({ min: 1, max: 28 }),
});
const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const fields = fc.record({
  gtin: digits(13).map(withCheck),
  batch: fc.option(cset82, { nil: undefined }),
  serial: fc.option(cset82, { nil: undefined }),
  expiry: fc.option(date, { nil: undefined }),
  weight: fc.option(fc.record({ x: fc.integer({ min: 0, max: 3 }), v: fc.integer({ min: 1, max: 999999 }) }), {
    nil: undefined,
  }),
  price: fc.option(fc.record({ x: fc.integer({ min: 0, max: 2 }), v: fc.integer({ min: 0, max: 99999999 }) }), {
    nil: undefined,
  }),
  order: fc.nat(),
});
type Fields = typeof fields extends fc.Arbitrary<infer T> ? T : never;

function pairsOf(f: Fields): [string, string][] {
  const pairs: [string, string][] = [['01', f.gtin]];
  if (f.batch !== undefined) pairs.push(['10', f.batch]);
  if (f.serial !== undefined) pairs.push(['21', f.serial]);
  if (f.expiry) pairs.push(['17', `${pad(f.expiry.y)}${pad(f.expiry.m)}${pad(f.expiry.d)}`]);
  if (f.weight) pairs.push([`310${f.weight.x}`, pad(f.weight.v, 6)]);
  if (f.price) pairs.push([`392${f.price.x}`, String(f.price.v)]);
  // Deterministic shuffle from the generated seed.
  return pairs
    .map((p, i) => [p, (i * 7 + f.order) % 11] as const)
    .sort((a, b) => a[1] - b[1])
    .map(([p]) => p);
}

function expectFields(r: ReturnType<typeof parseBarcode>, f: Fields): void {
  expect(r.ok).toBe(true);
  if (!r.ok || r.kind !== 'gs1') return;
  expect(r.gtin).toBe(f.gtin);
  expect(r.batch).toBe(f.batch);
  expect(r.serial).toBe(f.serial);
  expect(r.expiry).toBe(f.expiry ? `20${pad(f.expiry.y)}-${pad(f.expiry.m)}-${pad(f.expiry.d)}` : undefined);
  expect(r.weightGrams).toBe(f.weight ? Math.round(f.weight.v * 10 ** (3 - f.weight.x)) : undefined);
  expect(r.price).toBe(f.price ? f.price.v * 10 ** (2 - f.price.x) : undefined);
}

const FIXED = /^(01|17|310\d)$/;

describe('GS1 element string round trips', () => {
  it('GS-separated, bracketed and Digital Link forms parse back to the generated values', () => {
    fc.assert(
      fc.property(fields, fc.constantFrom(']C1', ']d2', ']Q3', GS, ''), (f, lead) => {
        const pairs = pairsOf(f);
        // With no AIM prefix and no GS the parser only recognises an element string that starts with a GTIN/SSCC.
        if (lead === '') pairs.sort((a, b) => (a[0] === '01' ? -1 : b[0] === '01' ? 1 : 0));
        // GS after every variable-length field except the last, as an encoder does.
        const gsForm = pairs.map(([ai, v], i) => ai + v + (!FIXED.test(ai) && i < pairs.length - 1 ? GS : '')).join('');
        expectFields(parseBarcode(lead + gsForm + '\r\n'), f);
        expectFields(parseBarcode(pairs.map(([ai, v]) => `(${ai})${v}`).join('')), f);
        const [primary, ...rest] = pairs.sort((a, b) => (a[0] === '01' ? -1 : b[0] === '01' ? 1 : 0));
        const path = `/01/${primary![1]}`;
        const query = rest.map(([ai, v]) => `${ai}=${encodeURIComponent(v)}`).join('&');
        expectFields(parseBarcode(`https://id.example.com${path}${query ? '?' + query : ''}`), f);
      }),
      { numRuns: 300 },
    );
  });
});

describe('robustness', () => {
  const check = (s: string) => {
    const r = parseBarcode(s);
    if (!r.ok) {
      expect(r.code).toBe('BARCODE_INVALID');
      expect(r.reason.length).toBeGreaterThan(0);
      expect(r.message.length).toBeGreaterThan(0);
    }
  };
  it('random bytes never throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => check(String.fromCharCode(...bytes))),
      { numRuns: 1500 },
    );
  });
  it('random unicode, GS1-looking noise and URL noise never throw', () => {
    const noise = fc.string({ unit: fc.constantFrom(...'0123456789()]Cd12Q3\u001d%/?=&:ABhtps.x'), maxLength: 60 });
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'grapheme', maxLength: 40 }),
          noise,
          noise.map((s) => 'https://a.b/01/' + s),
        ),
        check,
      ),
      { numRuns: 1000 },
    );
  });
});
