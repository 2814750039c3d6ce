// Property test: the compact index ranks exactly like a naive scan over plain objects.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeText } from './normalize';
import { pinyinKeys } from './pinyin-keys';
import { createProductSearchIndex, type SearchableProduct } from './product-search-index';

const zhWords = ['有机', '牛奶', '苹果', '大米', '进口', '新鲜', '纯', '酸奶', '面包', '米'];
const enWords = ['organic', 'milk', 'apple', 'rice', 'fresh', 'bread', 'mil', 'app'];
const product = fc.record({
  zh: fc.array(fc.constantFrom(...zhWords), { minLength: 1, maxLength: 4 }),
  en: fc.array(fc.constantFrom(...enWords), { minLength: 0, maxLength: 3 }),
  code: fc.integer({ min: 0, max: 99999 }),
});
const word = fc.oneof(
  fc.constantFrom(...zhWords, ...enWords, 'niu', 'youji', 'nn', 'yj', 'pg', 'sku-1', '69', '0'),
  fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), minLength: 1, maxLength: 3 }),
);
const query = fc.oneof(
  word,
  fc.tuple(word, word).map(([a, b]) => `${a} ${b}`),
);

const keyCache = new Map<string, ReturnType<typeof pinyinKeys>>();
const keysOf = (name: string) => keyCache.get(name) ?? keyCache.set(name, pinyinKeys(name)).get(name)!;

interface Ref {
  sku: string;
  fields: string[];
  nameLen: number;
}

// Fields: 0 sku, 1 barcode (prefix only), 2 name, 3 full pinyin, 4 initials (substring), 5 English (word starts).
// A single Latin letter or digit only matches value or word starts.
function tokensTierRef(v: string, q: string, tokens: string[], wordsOnly: boolean): number {
  const atStart = (t: string) => v.startsWith(t) || v.includes(' ' + t);
  const ok = tokens.every((t) =>
    wordsOnly || (t.length === 1 && !/[\u4e00-\u9fff]/.test(t)) ? atStart(t) : v.includes(t),
  );
  if (!ok) return 99;
  if (v === q) return 0;
  if (v.startsWith(q)) return 1;
  return wordsOnly || tokens.every(atStart) ? 2 : 3;
}

function strictTier(r: Ref, q: string, cjk: boolean): number {
  const tokens = q.split(' ');
  if (tokens.length > 1) {
    const joined = tokens.join('');
    let best = tokensTierRef(r.fields[2]!, q, tokens, false);
    if (cjk) return best;
    best = Math.min(best, tokensTierRef(r.fields[5]!, q, tokens, true));
    for (const f of [0, 1, 3, 4]) {
      const v = r.fields[f]!;
      const t = v === joined ? 0 : v.startsWith(joined) ? 1 : f >= 3 && v.includes(joined) ? 3 : 99;
      best = Math.min(best, t);
    }
    return best;
  }
  let best = 99;
  r.fields.forEach((v, f) => {
    if (cjk && f !== 2) return;
    let t = 99;
    if (v === q) t = 0;
    else if (v.startsWith(q)) t = 1;
    else if (f <= 1) t = 99;
    else if (v.includes(' ' + q)) t = 2;
    else if (f !== 5 && v.includes(q) && (cjk || q.length > 1)) t = 3;
    best = Math.min(best, t);
  });
  return best;
}

describe('search ranking matches a naive reference', () => {
  it('for one- and two-word queries, any catalog and any limit', () => {
    fc.assert(
      fc.property(
        fc.array(product, { minLength: 1, maxLength: 40 }),
        query,
        fc.integer({ min: 1, max: 60 }),
        (rows, rawQ, limit) => {
          const products: SearchableProduct[] = rows.map((r, i) => {
            const name = r.zh.join('');
            const k = keysOf(name);
            return {
              sku: `SKU-${i}`,
              name,
              nameEn: r.en.join(' '),
              barcodes: [`69${String(r.code).padStart(11, '0')}`],
              fullPinyin: k.full,
              initials: k.initials,
            };
          });
          const refs: Ref[] = products.map((p) => {
            const k = keysOf(p.name);
            const bc = normalizeText(p.barcodes![0]);
            return {
              sku: p.sku,
              nameLen: p.name.length,
              fields: [normalizeText(p.sku), bc, normalizeText(p.name), k.full, k.initials, normalizeText(p.nameEn)],
            };
          });
          const q = normalizeText(rawQ);
          const cjk = /[\u4e00-\u9fff]/.test(q);
          const expected = refs
            .map((r, i) => ({ sku: r.sku, key: [strictTier(r, q, cjk), r.nameLen, i] }))
            .filter((x) => x.key[0]! < 99)
            .sort((a, b) => a.key[0]! - b.key[0]! || a.key[1]! - b.key[1]! || a.key[2]! - b.key[2]!)
            .map((x) => x.sku);
          // Built lookups for all products, and built for half with the rest checked one by one.
          const half = createProductSearchIndex(products.slice(0, products.length >> 1));
          for (const p of products.slice(products.length >> 1)) half.upsert(p);
          for (const index of [createProductSearchIndex(products), half]) {
            const got = index.search(rawQ, limit);
            expect(got.slice(0, Math.min(limit, expected.length))).toEqual(expected.slice(0, limit));
            // Anything after the strict matches came from the loose-initials fallback.
            for (const sku of got.slice(expected.length)) {
              const ini = refs.find((r) => r.sku === sku)!.fields[4]!;
              expect(ini[0]).toBe(q[0]);
            }
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
