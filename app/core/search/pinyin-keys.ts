// Pinyin search keys for a product name: full pinyin and initials, lower case, no tones, no
// spaces, ü written as v (what cashiers type). Computed once when a product is saved and
// stored beside it, because pinyin-pro costs tens of microseconds per name.
import { createRequire } from 'node:module';
import { normalizeText } from './normalize';

// pinyin-pro (~0.1 s to load with its dictionary) is required by the first name that needs keys,
// not when the till starts: a start reads the keys stored beside the products (issue 19). A
// synchronous require keeps pinyinKeys synchronous; the Electron main bundle is CommonJS, where
// import.meta is empty, so it resolves from that bundle's __filename.
type PinyinPro = typeof import('pinyin-pro');
let pinyinPro: PinyinPro | undefined;
const loadPinyinPro = (): PinyinPro =>
  (pinyinPro ??= createRequire(import.meta.url ?? __filename)('pinyin-pro') as PinyinPro);

export interface PinyinKeys {
  full: string;
  initials: string;
}

// A run of Chinese characters, or a run of anything else.
const RUNS = /([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3007]+)|([^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3007]+)/g;
const NOT_ALNUM = /[^a-z0-9]+/g;

/**
 * '有机牛奶' → { full: 'youjiniunai', initials: 'yjnn' }. Each run of Chinese characters goes to
 * pinyin-pro whole, so its phrase dictionary picks the reading of polyphones from context
 * (银行 → yinhang, 重庆 → chongqing, 长城 → changcheng). Latin letters and digits are kept as they
 * are, in both keys ('农夫山泉550ml' → nongfushanquan550ml / nfsq550ml); punctuation and spaces drop.
 */
export function pinyinKeys(name: string): PinyinKeys {
  const text = normalizeText(name);
  let full = '';
  let initials = '';
  for (const m of text.matchAll(RUNS)) {
    if (m[1]) {
      const syllables = loadPinyinPro().pinyin(m[1], { toneType: 'none', type: 'array', v: true });
      for (const s of syllables) {
        const clean = s.toLowerCase().replace(NOT_ALNUM, '');
        if (!clean) continue;
        full += clean;
        initials += clean[0];
      }
    } else if (m[2]) {
      const clean = m[2].replace(NOT_ALNUM, '');
      full += clean;
      initials += clean;
    }
  }
  return { full, initials };
}
