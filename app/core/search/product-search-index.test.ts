import { describe, expect, it } from 'vitest';
import { createProductSearchIndex, type SearchableProduct } from './product-search-index';

const products: SearchableProduct[] = [
  { sku: 'MILK-001', name: '有机牛奶', nameEn: 'Organic Milk 1L', barcodes: ['06901234567892'] },
  { sku: 'MILK-002', name: '进口有机纯牛奶', nameEn: 'Imported Organic Whole Milk', barcodes: ['4006381333931'] },
  { sku: 'MILK-003', name: '牛奶', nameEn: 'Milk', barcodes: [] },
  { sku: 'APPL-001', name: '新鲜红富士苹果', nameEn: 'Fresh Fuji Apple', barcodes: ['2100123'] },
  { sku: 'RICE-001', name: '东北大米5kg', nameEn: 'Northeast Rice 5kg' },
  { sku: 'BANK-001', name: '银行卡套', nameEn: 'Card Sleeve' },
  { sku: 'TEA-001', name: '农夫山泉绿茶500ml', nameEn: 'Nongfu Green Tea 500ml', barcodes: ['6921168509256'] },
];

const index = () => createProductSearchIndex(products);

describe('ProductSearchIndex', () => {
  it('finds by Chinese substring, exact match first, then prefix, then substring', () => {
    expect(index().search('牛奶')).toEqual(['MILK-003', 'MILK-001', 'MILK-002']);
    expect(index().search('有机')).toEqual(['MILK-001', 'MILK-002']);
    expect(index().search('富士')).toEqual(['APPL-001']);
  });
  it('finds by full pinyin, prefix or substring, with or without spaces', () => {
    expect(index().search('youjiniunai')[0]).toBe('MILK-001');
    expect(index().search('youji')).toEqual(['MILK-001', 'MILK-002']);
    expect(index().search('niunai')).toEqual(['MILK-003', 'MILK-001', 'MILK-002']);
    expect(index().search('you ji niu nai')[0]).toBe('MILK-001');
    expect(index().search('YOUJI')).toEqual(['MILK-001', 'MILK-002']);
  });
  it('finds by pinyin initials: exact, prefix, substring', () => {
    expect(index().search('yjnn')[0]).toBe('MILK-001');
    expect(index().search('yjn')[0]).toBe('MILK-001');
    expect(index().search('nn')[0]).toBe('MILK-003');
    expect(index().search('nfsq')).toEqual(['TEA-001']);
  });
  it('falls back to loose initials: letters in order, then one wrong letter (the issue\'s "ymn")', () => {
    expect(index().search('ynn')).toEqual(['MILK-001']);
    expect(index().search('ymn')).toContain('MILK-001');
    expect(index().search('xmn')).toEqual([]);
  });
  it('finds by English words and word prefixes, case-insensitive, in any order', () => {
    expect(index().search('milk')).toEqual(['MILK-003', 'MILK-001', 'MILK-002']);
    expect(index().search('Organic')).toEqual(['MILK-001', 'MILK-002']);
    expect(index().search('org mil')).toEqual(['MILK-001', 'MILK-002']);
    expect(index().search('milk organic')).toEqual(['MILK-001', 'MILK-002']);
    expect(index().search('fuji')).toEqual(['APPL-001']);
  });
  it('finds by SKU and barcode prefix, and by a GTIN typed without its leading zero', () => {
    // All three are SKU prefix matches: the tie goes to the shorter name.
    expect(index().search('milk-00')).toEqual(['MILK-003', 'MILK-001', 'MILK-002']);
    expect(index().search('MILK-002')[0]).toBe('MILK-002');
    expect(index().search('400638')).toEqual(['MILK-002']);
    expect(index().search('6901234567892')).toEqual(['MILK-001']);
    expect(index().search('0690123')).toEqual(['MILK-001']);
    expect(index().search('2100123')).toEqual(['APPL-001']);
  });
  it('handles mixed Chinese/Latin/digits', () => {
    expect(index().search('大米5kg')).toEqual(['RICE-001']);
    expect(index().search('500ml')).toEqual(['TEA-001']);
    expect(index().search('dongbeidami5')).toEqual(['RICE-001']);
    expect(index().search('绿茶 农夫')).toEqual(['TEA-001']);
    expect(index().search('ｍｉｌｋ')[0]).toBe('MILK-003');
  });
  it('honours the limit and returns nothing for blank or unmatched queries', () => {
    expect(index().search('牛奶', 2)).toEqual(['MILK-003', 'MILK-001']);
    expect(index().search('   ')).toEqual([]);
    expect(index().search('')).toEqual([]);
    expect(index().search('榴莲')).toEqual([]);
    expect(index().search('牛奶', 0)).toEqual([]);
  });
  it('upsert replaces a product and remove drops it', () => {
    const idx = index();
    expect(idx.size).toBe(7);
    idx.upsert({ sku: 'MILK-003', name: '酸奶', nameEn: 'Yogurt' });
    expect(idx.size).toBe(7);
    expect(idx.search('牛奶')).toEqual(['MILK-001', 'MILK-002']);
    expect(idx.search('suannai')).toEqual(['MILK-003']);
    idx.remove('MILK-001');
    idx.remove('NOPE');
    expect(idx.size).toBe(6);
    expect(idx.search('有机')).toEqual(['MILK-002']);
    expect(idx.search('6901234567892')).toEqual([]);
  });
  it('uses stored pinyin keys instead of recomputing them', () => {
    const idx = createProductSearchIndex([{ sku: 'X', name: '行', nameEn: '', fullPinyin: 'hang', initials: 'h' }]);
    expect(idx.search('hang')).toEqual(['X']);
    expect(idx.search('xing')).toEqual([]);
  });
  it('stays correct across compaction after many replacements', () => {
    const idx = createProductSearchIndex();
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 1500; i++)
        idx.upsert({
          sku: `S${i}`,
          name: `商品${round}号${i}`,
          nameEn: `item ${round} ${i}`,
          fullPinyin: `shangpin${round}hao${i}`,
          initials: `sp${round}h${i}`,
        });
      expect(idx.search(`商品${round}号1499`)).toEqual(['S1499']);
    }
    for (let i = 0; i < 1500; i += 2) idx.remove(`S${i}`);
    expect(idx.size).toBe(750);
    expect(idx.search('商品2号1499')).toEqual(['S1499']);
    expect(idx.search('商品2号1498')).toEqual([]);
    const all = idx.search('商品2号', 1000);
    expect(all).toHaveLength(750);
    expect(new Set(all).size).toBe(750);
    expect(all.every((s) => Number(s.slice(1)) % 2 === 1)).toBe(true);
    expect(idx.search('商品1号')).toEqual([]);
  });
  it('ranks prefix before substring, ties by shorter name, then load order', () => {
    const idx = createProductSearchIndex([
      { sku: 'B', name: '苹果汁饮料', nameEn: '' },
      { sku: 'D', name: '新疆阿克苏苹果', nameEn: '' },
      { sku: 'A', name: '青苹果', nameEn: '' },
      { sku: 'C', name: '红苹果', nameEn: '' },
    ]);
    expect(idx.search('苹果')).toEqual(['B', 'A', 'C', 'D']);
  });
});

describe('multi-word queries', () => {
  const idx = () =>
    createProductSearchIndex([
      { sku: 'R1', name: '东北大米 5kg', nameEn: 'Northeast Rice 5kg' },
      { sku: 'R2', name: '东北大米5kg', nameEn: 'Rice' },
      { sku: 'T1', name: '绿茶', nameEn: 'Green Tea' },
    ]);
  it('needs every word; a one-letter word must start a word, like a one-letter query', () => {
    expect(idx().search('大米 5')).toEqual(['R1']);
    expect(idx().search('东北 大米')).toEqual(['R2', 'R1']);
    expect(idx().search('绿茶 大米')).toEqual([]);
  });
  it('gives the same answer before and after the lookups are rebuilt', () => {
    const late = createProductSearchIndex([{ sku: 'X', name: '占位', nameEn: 'placeholder' }]);
    late.upsert({ sku: 'R1', name: '东北大米 5kg', nameEn: 'Northeast Rice 5kg' });
    late.upsert({ sku: 'R2', name: '东北大米5kg', nameEn: 'Rice' });
    expect(late.search('大米 5')).toEqual(['R1']);
    expect(late.search('rice 5')).toEqual(['R1']);
    expect(idx().search('rice 5')).toEqual(['R1']);
  });
});
