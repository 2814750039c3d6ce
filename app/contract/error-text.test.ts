// Every error code has words in both languages, and the core's PosError speaks English from
// that one table — never a "中文 / English" sentence.
import { describe, expect, it } from 'vitest';
import { ERROR_TEXT, errorText } from './error-text';
import { ERROR_CODES, PosError } from './errors';

const CJK = /[\u4e00-\u9fff]/;
const placeholders = (s: string) => s.match(/\{\w+\}/g) ?? [];

describe('error text table', () => {
  it('has English and Chinese words for every ErrorCode and every reason', () => {
    expect(Object.keys(ERROR_TEXT).sort()).toEqual([...ERROR_CODES].sort());
    for (const code of ERROR_CODES) {
      const t = ERROR_TEXT[code];
      const all = [
        [code, t.en, t.zh],
        ...Object.entries(t.reasons ?? {}).map(([r, x]) => [`${code}.${r}`, x.en, x.zh]),
      ] as [string, string, string][];
      for (const [what, en, zh] of all) {
        expect(en.length, what).toBeGreaterThan(0);
        expect(en, what).not.toMatch(CJK);
        expect(zh, what).toMatch(CJK);
      }
      // The code's own words are the fallback when details are missing: no placeholders there.
      expect(placeholders(t.en), code).toEqual([]);
      expect(placeholders(t.zh), code).toEqual([]);
    }
  });

  it('fills details in and falls back to the code when a placeholder has no value', () => {
    expect(errorText('LOCKED_OUT', { reason: 'wait', retryAfterSeconds: 12 }, 'zh-CN')).toBe(
      'PIN 错误次数过多，请 12 秒后再试。',
    );
    expect(errorText('LOCKED_OUT', { reason: 'wait' }, 'en')).toBe(ERROR_TEXT.LOCKED_OUT.en);
    expect(errorText('NO_SUCH_CODE', undefined, 'en')).toContain('(NO_SUCH_CODE)');
  });

  it('gives PosError an English message made from the code and details', () => {
    const e = new PosError('RETURN_EXCEEDS_SALE', {
      reason: 'weight',
      name: '香蕉',
      nameEn: 'Banana',
      remainingWeightGrams: 350,
    });
    expect(e.message).toBe('At most 350 g of Banana can be returned.');
    expect(e.details).toMatchObject({ reason: 'weight', remainingWeightGrams: 350 });
    expect(new PosError('CART_EMPTY').message).toBe('The cart is empty.');
  });
});
