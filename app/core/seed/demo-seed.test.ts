import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { hasValidGs1CheckDigit, parseBarcode } from '../barcode';
import { openTerminalDatabase } from '../db';
import { makeTempDir } from '../test-support';
import { demoProducts, DEMO_STAFF, seedDemoData, seedSyntheticCatalog, syntheticCatalog } from './index';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('demo seed', () => {
  it('has ~200 bilingual products, valid Chinese EAN-13s and ~20 weighed items with scale keys', () => {
    const ps = demoProducts();
    expect(ps.length).toBeGreaterThanOrEqual(180);
    expect(new Set(ps.map((p) => p.sku)).size).toBe(ps.length);
    const each = ps.filter((p) => p.unit === 'each');
    for (const p of each) {
      expect(p.ean13).toMatch(/^69\d{11}$/);
      expect(hasValidGs1CheckDigit(p.ean13!)).toBe(true);
      const parsed = parseBarcode(p.ean13!);
      expect(parsed.ok && parsed.kind === 'gtin' ? parsed.gtin : null).toBe(p.barcodes[0]);
      expect(p.name).toMatch(/[\u4e00-\u9fff]/);
      expect(p.nameEn).toMatch(/^[A-Za-z]/);
    }
    expect(new Set(ps.flatMap((p) => p.barcodes)).size).toBe(ps.reduce((n, p) => n + p.barcodes.length, 0));
    const weighed = ps.filter((p) => p.unit === 'weighed');
    expect(weighed.length).toBe(20);
    for (const p of weighed) expect(p.barcodes).toEqual([`21${p.plu}`, `26${p.plu}`]);
    expect(ps.find((p) => p.nameEn === 'Organic Milk 1L')?.name).toBe('有机牛奶 1L');
    expect(demoProducts()).toEqual(ps);
  });

  it('seeds an empty database once: staff, products, stock and store config', () => {
    const dir = makeTempDir('pos-seed-');
    dirs.push(dir);
    const db = openTerminalDatabase(dir);
    const at = new Date('2026-11-29T00:00:00Z');
    expect(seedDemoData(db, { at, terminalId: 'T01', storeId: 'demo-store', pinScryptN: 1024 })).toBe(true);
    expect(seedDemoData(db, { at, terminalId: 'T01', storeId: 'demo-store', pinScryptN: 1024 })).toBe(false);
    expect(db.prepare('SELECT name, role FROM staff ORDER BY name').all()).toEqual(
      DEMO_STAFF.map((s) => ({ name: s.name, role: s.role })).sort((a, b) => (a.name < b.name ? -1 : 1)),
    );
    expect(
      (db.prepare("SELECT COUNT(*) AS n FROM stock_movements WHERE kind = 'count'").get() as { n: number }).n,
    ).toBe(demoProducts().length);
    expect(
      JSON.parse((db.prepare("SELECT value FROM kv WHERE key = 'till-config'").get() as { value: string }).value)
        .storeName,
    ).toBe('鲜丰社区生鲜 Fresh Corner');
    db.close();
  });

  it('generates a deterministic synthetic catalog and inserts it in one go', () => {
    const a = [...syntheticCatalog(500)];
    expect(a).toEqual([...syntheticCatalog(500)]);
    expect(new Set(a.flatMap((p) => p.barcodes)).size).toBe(500);
    for (const p of a.filter((x) => x.ean13)) expect(hasValidGs1CheckDigit(p.ean13!)).toBe(true);
    const dir = makeTempDir('pos-syn-');
    dirs.push(dir);
    const db = openTerminalDatabase(dir);
    expect(seedSyntheticCatalog(db, 2000)).toBe(2000);
    expect((db.prepare('SELECT COUNT(*) AS n FROM barcodes').get() as { n: number }).n).toBe(2000);
    expect((db.prepare("SELECT COUNT(*) AS n FROM products WHERE pinyin_full != ''").get() as { n: number }).n).toBe(
      2000,
    );
    db.close();
  });
});
