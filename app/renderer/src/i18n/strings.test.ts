import { describe, expect, it } from 'vitest';
import { en, zhCN } from './strings';
import { translator } from './translate';

describe('UI dictionary', () => {
  it('has every key in both languages, non-empty, with the same placeholders', () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
    for (const [k, v] of Object.entries(en)) {
      const zh = zhCN[k as keyof typeof en];
      expect(zh.length, k).toBeGreaterThan(0);
      const ph = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
      expect(ph(zh), k).toEqual(ph(v));
    }
  });

  it('uses full-width brackets around Chinese words and key names in zh-CN (issue 13 item 20)', () => {
    const halfWidth = Object.entries(zhCN).filter(([, v]) => /[\u4e00-\u9fff][^()]*\s?\([^)]*\)|\s\(/.test(v));
    expect(halfWidth).toEqual([]);
  });

  it('fills placeholders', () => {
    expect(translator('en')('status.sync.pending', { n: 3 })).toBe('Sync pending: 3 ops');
    expect(translator('zh-CN')('till.items', { n: 2 })).toBe('2 件');
  });
});
