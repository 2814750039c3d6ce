// Pinyin search keys for a product name: full pinyin and initials, lower case, no tones, no
// spaces, ü written as v (what cashiers type). Computed once when a product is saved and
// stored beside it, because pinyin-pro costs tens of microseconds per name.
import { pinyin } from 'pinyin-pro';
import { normalizeText } from './normalize';

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
      const syllables = pinyin(m[1], { toneType: 'none', type: 'array', v: true });
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
