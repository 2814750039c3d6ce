import { describe, expect, it } from 'vitest';
import { pinyinKeys } from './pinyin-keys';

describe('pinyinKeys', () => {
  it('gives full pinyin and initials without tones or spaces', () => {
    expect(pinyinKeys('有机牛奶')).toEqual({ full: 'youjiniunai', initials: 'yjnn' });
  });
  it('keeps Latin letters and digits, lower-cased, and drops punctuation and spaces', () => {
    expect(pinyinKeys('农夫山泉 550ML')).toEqual({ full: 'nongfushanquan550ml', initials: 'nfsq550ml' });
    expect(pinyinKeys('乐事（原味）薯片·70g')).toEqual({ full: 'leshiyuanweishupian70g', initials: 'lsywsp70g' });
    expect(pinyinKeys('ＡＢＣ牛奶')).toEqual({ full: 'abcniunai', initials: 'abcnn' });
  });
  it('reads polyphones from context', () => {
    expect(pinyinKeys('重庆小面').full).toBe('chongqingxiaomian');
    expect(pinyinKeys('长城干红').full).toBe('changchengganhong');
    expect(pinyinKeys('银行').full).toBe('yinhang');
    // Food names whose characters have several readings.
    expect(pinyinKeys('薄荷糖')).toEqual({ full: 'bohetang', initials: 'bht' });
    expect(pinyinKeys('还原乳').full).toBe('huanyuanru');
    expect(pinyinKeys('长寿面').full).toBe('changshoumian');
    expect(pinyinKeys('朝天椒').full).toBe('chaotianjiao');
    expect(pinyinKeys('重庆火锅底料').initials).toBe('cqhgdl');
  });
  it('writes ü as v, as typed on a keyboard', () => {
    expect(pinyinKeys('绿豆').full).toBe('lvdou');
  });
  it('is empty for an empty or symbol-only name', () => {
    expect(pinyinKeys('')).toEqual({ full: '', initials: '' });
    expect(pinyinKeys('（）·')).toEqual({ full: '', initials: '' });
  });
});
