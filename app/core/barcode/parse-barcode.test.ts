import { describe, expect, it } from 'vitest';
import { gs1CheckDigit } from './check-digit';
import { parseBarcode, type ParsedBarcode } from './parse-barcode';
import {
  DEFAULT_VARIABLE_MEASURE_RULES,
  SCALE_LABEL_PRESET_NAMES,
  SCALE_LABEL_PRESETS,
  variableMeasureItemKey,
  variableMeasureRuleSchema,
  type VariableMeasureRule,
} from './variable-measure';
import { priceCheckDigit } from './check-digit';

const GS = '\u001d';
const withCheck = (d: string): string => d + gs1CheckDigit(d);

function expectOk<K extends Extract<ParsedBarcode, { ok: true }>['kind']>(
  r: ParsedBarcode,
  kind: K,
): Extract<ParsedBarcode, { kind: K }> {
  if (!r.ok) throw new Error(`expected ${kind}, got ${r.reason}: ${r.message}`);
  expect(r.kind).toBe(kind);
  return r as Extract<ParsedBarcode, { kind: K }>;
}

function expectInvalid(r: ParsedBarcode, reason: string): void {
  expect(r.ok).toBe(false);
  if (r.ok) return;
  expect(r.code).toBe('BARCODE_INVALID');
  expect(r.reason).toBe(reason);
  expect(r.message.length).toBeGreaterThan(10);
  expect(r.message).not.toMatch(/[\u4e00-\u9fff]/); // the UI translates the reason
}

describe('retail GTINs', () => {
  it('reads EAN-13, EAN-8, UPC-A, UPC-E and GTIN-14 to a 14-digit GTIN', () => {
    expect(expectOk(parseBarcode('6901234567892'), 'gtin')).toMatchObject({
      symbology: 'EAN-13',
      gtin: '06901234567892',
    });
    expect(expectOk(parseBarcode('96385074'), 'gtin')).toMatchObject({ symbology: 'EAN-8', gtin: '00000096385074' });
    expect(expectOk(parseBarcode('036000291452'), 'gtin')).toMatchObject({
      symbology: 'UPC-A',
      gtin: '00036000291452',
    });
    expect(expectOk(parseBarcode('01234565'), 'gtin')).toMatchObject({ symbology: 'UPC-E', gtin: '00012345000065' });
    expect(expectOk(parseBarcode('10012345000062'), 'gtin')).toMatchObject({
      symbology: 'GTIN-14',
      gtin: '10012345000062',
    });
  });
  it('trims scanner suffixes and leading/trailing blanks', () => {
    for (const s of ['6901234567892\r\n', '6901234567892\r', '6901234567892\n', '6901234567892\t', ' 6901234567892 ']) {
      expect(expectOk(parseBarcode(s), 'gtin').raw).toBe('6901234567892');
    }
  });
  it('reads full-width digits typed through a Chinese IME', () => {
    expect(expectOk(parseBarcode('６９０１２３４５６７８９２'), 'gtin').gtin).toBe('06901234567892');
  });
  it('strips AIM symbology identifiers, and ]E4 forces EAN-8', () => {
    expect(expectOk(parseBarcode(']E06901234567892'), 'gtin').gtin).toBe('06901234567892');
    // 01234565 has a valid check digit both as UPC-E and as EAN-8: bare, UPC-E wins; ]E4 says EAN-8.
    expect(expectOk(parseBarcode('01234565'), 'gtin').symbology).toBe('UPC-E');
    expect(expectOk(parseBarcode(']E401234565'), 'gtin')).toMatchObject({ symbology: 'EAN-8', gtin: '00000001234565' });
    // 96385074 is not a UPC-E (number system 9) and reads as EAN-8 either way.
    expect(expectOk(parseBarcode(']E496385074'), 'gtin').symbology).toBe('EAN-8');
    expectInvalid(parseBarcode(']E496385075'), 'check-digit');
  });
  it('rejects a wrong check digit, letters, wrong length, control characters and empty scans', () => {
    expectInvalid(parseBarcode('6901234567891'), 'check-digit');
    expectInvalid(parseBarcode('690123456789X'), 'bad-characters');
    expectInvalid(parseBarcode('69O1234567892'), 'bad-characters');
    expectInvalid(parseBarcode('690123456789'), 'check-digit');
    expectInvalid(parseBarcode('6901234'), 'wrong-length');
    expectInvalid(parseBarcode('690123456789212'), 'wrong-length');
    expectInvalid(parseBarcode('6901\u000734567892'), 'control-char');
    expectInvalid(parseBarcode(''), 'empty');
    expectInvalid(parseBarcode('\r\n'), 'empty');
    expectInvalid(parseBarcode(']E0'), 'empty');
    expectInvalid(parseBarcode('x'.repeat(5000)), 'wrong-length');
  });
  it('gives the digit count with a wrong-length failure (in the message, and for the UI)', () => {
    const r = parseBarcode('123456');
    expect(r.ok ? '' : r.message).toContain('6 digits');
    expect(r.ok ? null : r.digits).toBe(6);
  });
  it('never throws on non-string input from untyped callers', () => {
    expectInvalid(parseBarcode(undefined as unknown as string), 'empty');
    expectInvalid(parseBarcode(42 as unknown as string), 'empty');
  });
});

describe('variable-measure scale labels', () => {
  it('reads the default Chinese scale layout: flag + PLU + amount in fen (20 counted, 21 weighed)', () => {
    const code = withCheck('210012301250'); // PLU 00123, ¥12.50
    const r = expectOk(parseBarcode(code), 'variable-measure');
    expect(r).toMatchObject({
      prefix: '21',
      itemCode: '00123',
      itemKey: '2100123',
      rule: 'cn-weighed-amount',
      price: 1250,
      sold: 'weighed',
    });
    expect(r.weightGrams).toBeUndefined();
    expect(r.itemKey).toBe(variableMeasureItemKey('21', '00123'));
    const counted = expectOk(parseBarcode(withCheck('200045600300')), 'variable-measure');
    expect(counted).toMatchObject({ itemKey: '2000456', price: 300, sold: 'counted', rule: 'cn-counted-amount' });
  });
  it('reads the 18-digit form: 26 + PLU + amount + weight + mod-10 check', () => {
    const code = withCheck('26001230086101234'); // PLU 00123, ¥8.61, 1.234 kg
    expect(code).toHaveLength(18);
    const r = expectOk(parseBarcode(code), 'variable-measure');
    expect(r).toMatchObject({ itemKey: '2600123', price: 861, weightGrams: 1234, rule: 'cn-amount-weight-18' });
    expectInvalid(parseBarcode(code.slice(0, 17) + ((Number(code[17]) + 1) % 10)), 'check-digit');
    expectInvalid(parseBarcode(withCheck('26001230086100000')), 'bad-weight');
    expectInvalid(parseBarcode(withCheck('26001230000001234')), 'bad-price');
  });
  it('reads the GS1/European preset: 20–24 weight in grams, 25–29 price', () => {
    const rules = SCALE_LABEL_PRESETS['gs1-europe'];
    const w = expectOk(parseBarcode(withCheck('210012301250'), { variableMeasureRules: rules }), 'variable-measure');
    expect(w).toMatchObject({ rule: 'weight-grams', weightGrams: 1250 });
    expect(w.price).toBeUndefined();
    const p = expectOk(parseBarcode(withCheck('270045601599'), { variableMeasureRules: rules }), 'variable-measure');
    expect(p).toMatchObject({ prefix: '27', itemKey: '2700456', rule: 'price-fen', price: 1599 });
    // An 18-digit code is no scale label under that preset.
    expect(parseBarcode(withCheck('26001230086101234'), { variableMeasureRules: rules }).ok).toBe(false);
  });
  it('every preset passes its own schema', () => {
    for (const name of SCALE_LABEL_PRESET_NAMES)
      for (const r of SCALE_LABEL_PRESETS[name]) expect(variableMeasureRuleSchema.safeParse(r).success).toBe(true);
  });
  it('rejects a wrong EAN check digit and a zero value', () => {
    const good = withCheck('210012301250');
    expectInvalid(parseBarcode(good.slice(0, 12) + ((Number(good[12]) + 1) % 10)), 'check-digit');
    expectInvalid(parseBarcode(withCheck('210012300000')), 'bad-price');
    const eu = { variableMeasureRules: SCALE_LABEL_PRESETS['gs1-europe'] };
    expectInvalid(parseBarcode(withCheck('210012300000'), eu), 'bad-weight');
    expectInvalid(parseBarcode(withCheck('260012300000'), eu), 'bad-price');
  });
  it('applies configured rules with a price check digit and decimals', () => {
    const rule: VariableMeasureRule = {
      id: 'eu-price-pcd',
      prefixes: ['28'],
      itemDigits: 4,
      measure: 'price',
      valueDigits: 5,
      decimals: 1,
      priceCheckDigit: true,
    };
    expect(variableMeasureRuleSchema.safeParse(rule).success).toBe(true);
    const value = '01234'; // 123.4 yuan → 12340 fen
    const code = withCheck(`281234${priceCheckDigit(value)}${value}`);
    const r = expectOk(parseBarcode(code, { variableMeasureRules: [rule] }), 'variable-measure');
    expect(r).toMatchObject({ itemKey: '281234', price: 12340, rule: 'eu-price-pcd' });
    const badPcd = withCheck(`281234${(priceCheckDigit(value) + 1) % 10}${value}`);
    expectInvalid(parseBarcode(badPcd, { variableMeasureRules: [rule] }), 'price-check-digit');
  });
  it('reads weight with fewer decimals (10 g steps)', () => {
    const rule: VariableMeasureRule = {
      id: 'w10',
      prefixes: ['23'],
      itemDigits: 6,
      measure: 'weight',
      valueDigits: 4,
      decimals: 2,
      priceCheckDigit: false,
    };
    const r = expectOk(parseBarcode(withCheck('231234560125'), { variableMeasureRules: [rule] }), 'variable-measure');
    expect(r.weightGrams).toBe(1250);
  });
  it('treats a 2x code that no rule claims as a plain store-internal EAN-13', () => {
    const r = expectOk(parseBarcode(withCheck('210012301250'), { variableMeasureRules: [] }), 'gtin');
    expect(r.gtin).toBe('0' + withCheck('210012301250'));
  });
  it('schema refuses rules whose parts do not add up to the code length', () => {
    const bad = { ...DEFAULT_VARIABLE_MEASURE_RULES[0]!, itemDigits: 6 };
    expect(
      variableMeasureRuleSchema.safeParse({ ...DEFAULT_VARIABLE_MEASURE_RULES[2]!, weightDigits: 4 }).success,
    ).toBe(false);
    expect(variableMeasureRuleSchema.safeParse(bad).success).toBe(false);
    expect(variableMeasureRuleSchema.safeParse({ ...bad, itemDigits: 5, prefixes: ['31'] }).success).toBe(false);
    for (const r of DEFAULT_VARIABLE_MEASURE_RULES) expect(variableMeasureRuleSchema.safeParse(r).success).toBe(true);
  });
});

describe('GS1 element strings', () => {
  const gtin = '09520123456788';
  it('reads FNC1 as GS with the ]C1 prefix, variable fields ending at GS or end of data', () => {
    const r = expectOk(parseBarcode(`]C101${gtin}10AB-12${GS}17261231${GS}21S/N 1`.replace(' ', '')), 'gs1');
    expect(r).toMatchObject({ source: 'gs1-128', gtin, batch: 'AB-12', expiry: '2026-12-31', serial: 'S/N1' });
  });
  it('tells DataMatrix (]d2), GS1 QR (]Q3) and DataBar (]e0) apart', () => {
    expect(expectOk(parseBarcode(`]d201${gtin}17261231`), 'gs1').source).toBe('datamatrix');
    expect(expectOk(parseBarcode(`]Q301${gtin}`), 'gs1').source).toBe('gs1-qr');
    expect(expectOk(parseBarcode(`]e001${gtin}3103001250`), 'gs1').source).toBe('gs1-databar');
  });
  it('reads a leading GS (FNC1 in first position sent as GS) and GS without AIM prefix', () => {
    expect(expectOk(parseBarcode(`${GS}01${gtin}10LOT7${GS}17270228`), 'gs1')).toMatchObject({
      gtin,
      batch: 'LOT7',
      expiry: '2027-02-28',
    });
  });
  it('reads the human-readable form with parentheses', () => {
    const r = expectOk(parseBarcode(`(01)${gtin}(17)261231(10)ABC(21)123`), 'gs1');
    expect(r).toMatchObject({
      gtin,
      expiry: '2026-12-31',
      batch: 'ABC',
      serial: '123',
      ais: { '01': gtin, '17': '261231', '10': 'ABC', '21': '123' },
    });
    expect(expectOk(parseBarcode(`(01) ${gtin} (10) ABC`), 'gs1').batch).toBe('ABC');
  });
  it('reads an all-digit GS1-128 with only fixed-length fields, and one whose scanner dropped the GS', () => {
    expect(expectOk(parseBarcode(`01${gtin}17261231`), 'gs1')).toMatchObject({ gtin, expiry: '2026-12-31' });
    expect(expectOk(parseBarcode(`01${gtin}10ABC`), 'gs1').batch).toBe('ABC');
  });
  it('turns 310x into grams and 392x into fen', () => {
    expect(expectOk(parseBarcode(`(01)${gtin}(3103)001250`), 'gs1').weightGrams).toBe(1250);
    expect(expectOk(parseBarcode(`(01)${gtin}(3102)000125`), 'gs1').weightGrams).toBe(1250);
    expect(expectOk(parseBarcode(`(01)${gtin}(3100)000002`), 'gs1').weightGrams).toBe(2000);
    expect(expectOk(parseBarcode(`(01)${gtin}(3105)001255`), 'gs1').weightGrams).toBe(13); // 12.55 g → 13 g
    expect(expectOk(parseBarcode(`(01)${gtin}(3922)1599`), 'gs1').price).toBe(1599);
    expect(expectOk(parseBarcode(`(01)${gtin}(3920)16`), 'gs1').price).toBe(1600);
    expect(expectOk(parseBarcode(`(01)${gtin}(3923)15990`), 'gs1').price).toBe(1599);
    expect(expectOk(parseBarcode(`(01)${gtin}(3920)1599`, { currencyIso: 'JPY' }), 'gs1').price).toBe(1599);
    expectInvalid(parseBarcode(`(01)${gtin}(3922)1599`, { currencyIso: 'JPY' }), 'bad-price'); // 15.99 yen has no minor unit
  });
  it('uses 393x only when its currency is the store currency', () => {
    expect(expectOk(parseBarcode(`(01)${gtin}(3932)1561599`), 'gs1').price).toBe(1599);
    const usd = expectOk(parseBarcode(`(01)${gtin}(3932)8401599`), 'gs1');
    expect(usd.price).toBeUndefined();
    expect(usd.ais['3932']).toBe('8401599');
  });
  it('keeps unknown AIs of predefined length and other known AIs in ais', () => {
    const r = expectOk(parseBarcode(`01${gtin}14261231${GS}240PART-9`), 'gs1');
    expect(r.ais).toMatchObject({ '14': '261231', '240': 'PART-9' });
  });
  it('reads day 00 as the last day of the month and reads best-before (15)', () => {
    expect(expectOk(parseBarcode(`(01)${gtin}(17)280200`), 'gs1').expiry).toBe('2028-02-29');
    expect(expectOk(parseBarcode(`(01)${gtin}(15)270400`), 'gs1').bestBefore).toBe('2027-04-30');
  });
  it('applies the GS1 century window when given the current year', () => {
    expect(expectOk(parseBarcode(`(01)${gtin}(17)991231`, { referenceYear: 2026 }), 'gs1').expiry).toBe('1999-12-31');
    expect(expectOk(parseBarcode(`(01)${gtin}(17)761231`, { referenceYear: 2026 }), 'gs1').expiry).toBe('2076-12-31');
  });

  it('rejects malformed element strings with a specific reason', () => {
    expectInvalid(parseBarcode(`(01)${gtin}(17)261340`), 'bad-date');
    expectInvalid(parseBarcode(`(01)${gtin}(17)260230`), 'bad-date');
    expectInvalid(parseBarcode(`(01)${gtin}(17)2612`), 'truncated');
    expectInvalid(parseBarcode(`]C101${gtin}1726`), 'truncated');
    expectInvalid(parseBarcode(`]C10109520123`), 'truncated');
    expectInvalid(parseBarcode(`]C101${gtin}1`), 'truncated');
    expectInvalid(parseBarcode(`(01)09520123456789`), 'check-digit');
    expectInvalid(parseBarcode(`(01)0952012345678A`), 'bad-characters');
    expectInvalid(parseBarcode(`]C101${gtin}10${'A'.repeat(21)}`), 'value-too-long');
    expectInvalid(parseBarcode(`]C101${gtin}10AB${GS}${GS}17261231${GS}10XY`), 'duplicate-ai');
    expectInvalid(parseBarcode(`]C101${gtin}89123`), 'unknown-ai');
    expectInvalid(parseBarcode(`(01)${gtin}(89)123`), 'unknown-ai');
    expectInvalid(parseBarcode(`(01)${gtin}(3106)001250`), 'bad-weight');
    expectInvalid(parseBarcode(`(01)${gtin}(3103)000000`), 'bad-weight');
    expectInvalid(parseBarcode(`(01)${gtin}(3923)15999`), 'bad-price');
    expectInvalid(parseBarcode(`(01)${gtin}(10)AB C#`), 'bad-characters');
    expectInvalid(parseBarcode(`]C1`), 'empty');
    expectInvalid(parseBarcode(`]C1${GS}`), 'empty');
    expectInvalid(parseBarcode('01'), 'wrong-length');
    expectInvalid(parseBarcode(`]C1AB`), 'bad-characters');
  });
  it('accepts the same AI twice with the same value', () => {
    expect(expectOk(parseBarcode(`(01)${gtin}(10)A(10)A`), 'gs1').batch).toBe('A');
  });
});

describe('GS1 Digital Link', () => {
  const gtin = '09520123456788';
  it('reads path and query AIs on any host, with percent-decoding', () => {
    const r = expectOk(parseBarcode(`https://id.example.com/01/${gtin}/10/AB%2F12?17=261231&linkType=gs1:pip`), 'gs1');
    expect(r).toMatchObject({ source: 'digital-link', gtin, batch: 'AB/12', expiry: '2026-12-31' });
    expect(r.ais).toEqual({ '01': gtin, '10': 'AB/12', '17': '261231' });
  });
  it('allows a path prefix, short GTINs, serial, weight and price in the query', () => {
    const r = expectOk(parseBarcode(`HTTPS://shop.example.cn/q/r/01/6901234567892/21/SN9?3103=000500&3922=899`), 'gs1');
    expect(r).toMatchObject({ gtin: '06901234567892', serial: 'SN9', weightGrams: 500, price: 899 });
  });
  it('reads the legacy short names', () => {
    expect(expectOk(parseBarcode(`https://example.com/gtin/${gtin}/lot/X1?exp=270101`), 'gs1')).toMatchObject({
      gtin,
      batch: 'X1',
      expiry: '2027-01-01',
    });
  });
  it('rejects bad dates, bad escapes, missing values, missing keys and foreign URLs', () => {
    expectInvalid(parseBarcode(`https://id.example.com/01/${gtin}?17=261340`), 'bad-date');
    expectInvalid(parseBarcode(`https://id.example.com/01/${gtin}/10/%E4%ZZ`), 'bad-url');
    expectInvalid(parseBarcode(`https://id.example.com/01/${gtin}?10=%E4`), 'bad-url');
    expectInvalid(parseBarcode(`https://id.example.com/01/${gtin}/10`), 'truncated');
    expectInvalid(parseBarcode(`https://id.example.com/01/09520123456789`), 'check-digit');
    expectInvalid(parseBarcode(`https://id.example.com/products?17=261231`), 'no-primary-key');
    expectInvalid(parseBarcode('https://u.wechat.com/abcdef'), 'bad-url');
    expectInvalid(parseBarcode('https://'), 'bad-url');
    expectInvalid(parseBarcode(`https://id.example.com/01/${gtin}/99x/abc`), 'unknown-ai');
  });
});

describe('input hygiene', () => {
  it('trims long runs of blanks in linear time and still reads the code', () => {
    const code = ' '.repeat(2000) + '6901234567892' + '\t'.repeat(2000);
    expect(parseBarcode(code)).toMatchObject({ ok: true, gtin: '06901234567892' });
    expect(parseBarcode(' '.repeat(3000) + 'x' + ' '.repeat(1000))).toMatchObject({
      ok: false,
      reason: 'bad-characters',
    });
  });
  it('treats a GS1 string followed by a trailing GS and CR like one without', () => {
    expect(parseBarcode(`]C10109520123456788\u001d\r`)).toMatchObject({ ok: true, gtin: '09520123456788' });
  });
});
