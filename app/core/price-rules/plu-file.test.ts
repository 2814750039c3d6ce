// The scales' PLU file (labels.pluExport) on a real till core (real SQLite, demo catalog): the
// bytes are GB18030 (what the scale software on zh-CN Windows reads), one row per product with a
// scale key, the shelf price now per kg (a store price change shows), the flag the scale prints;
// a cashier is refused and the export is audited.
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterEach, describe, expect, it } from 'vitest';
import { parsePluExportCsv } from '../barcode';
import { openSqlite } from '../db';
import { demoProducts } from '../seed';
import { openTestCore, PINS, type TestCore } from '../test-support';

const weighed = demoProducts().filter((p) => p.unit === 'weighed');
const looseApples = weighed.find((p) => p.sku === '101202')!; // ¥11.98/kg

let t: TestCore | null = null;
afterEach(() => {
  t?.cleanup();
  t = null;
});

describe('PLU file for the label scales (labels.pluExport)', () => {
  it('exports every product with a scale key at its shelf price per kg, in GB18030', async () => {
    t = openTestCore();
    const mgr = await t.login(PINS.manager);
    // Add a shelf life the way the catalog holds it (products.shelf_life_days, migration 0010).
    // (Another writer on the same file, as catalog sync would be.)
    const db = openSqlite(join(t.dataDir, 'terminal.db'));
    db.prepare('UPDATE products SET shelf_life_days = 3 WHERE sku = ?').run(looseApples.sku);
    db.close();
    await t.ok('prices.set', { skus: [looseApples.sku], price: 990 }, mgr);

    const { file, products } = await t.ok('labels.pluExport', { brand: 'dahua' }, mgr);
    expect(products).toBe(weighed.length);
    expect(file.fileName).toMatch(/^plu-dahua-.+\.csv$/);
    expect(file.contentType).toContain('GB18030');
    const bytes = Buffer.from(file.base64, 'base64');
    // Not UTF-8: the scale software would show mojibake. GB18030 decodes to the product names.
    expect(bytes.toString('utf8')).not.toContain(looseApples.name);
    const rows = parsePluExportCsv(iconv.decode(bytes, 'gb18030'));
    expect(rows.map((r) => r.sku).sort()).toEqual(weighed.map((p) => p.sku).sort());
    const apples = rows.find((r) => r.sku === looseApples.sku)!;
    expect(apples).toEqual({
      plu: looseApples.plu,
      sku: looseApples.sku,
      name: looseApples.name,
      price: 990, // the store price change, per kg
      sold: 'weighed',
      shelfLifeDays: 3,
      flag: '21', // the 13-digit amount label, not the 18-digit 26 form
    });
    for (const r of rows.filter((x) => x.sku !== looseApples.sku))
      expect(r.price).toBe(weighed.find((p) => p.sku === r.sku)!.price);

    const aclas = await t.ok('labels.pluExport', { brand: 'aclas' }, mgr);
    expect(aclas.file.fileName).toMatch(/^plu-aclas-/);
    const audit = (await t.ok('audit.list', {}, mgr)).entries.filter((e) => e.action === 'labels.pluExport');
    expect(audit.map((e) => e.detail)).toEqual(
      expect.arrayContaining([expect.objectContaining({ brand: 'dahua', products: weighed.length })]),
    );
  });

  it('refuses a cashier and an unknown brand', async () => {
    t = openTestCore();
    const cashier = await t.login();
    const mgr = await t.login(PINS.manager);
    expect((await t.fail('labels.pluExport', { brand: 'dahua' }, cashier)).code).toBe('FORBIDDEN');
    expect((await t.fail('labels.pluExport', { brand: 'mettler' } as never, mgr)).code).toBe('BAD_INPUT');
  });
});
