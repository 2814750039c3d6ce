// Markdown labels (晚间特价) on a real till core (real SQLite): a manager sets an evening markdown
// for a category and prints its labels through the real label printer (TSPL and ZPL over TCP);
// the label emulator decodes one label per marked-down product with the old price struck
// through by a bar, the new price the till will charge, the unit and the start time. A cashier is
// refused and an unknown markdown is NOT_FOUND.
import { afterEach, describe, expect, it } from 'vitest';
import {
  createTransport,
  LabelPrinter,
  LabelPrinterEmulator,
  shelfLabelJob,
  type LabelLanguage,
} from '../../../drivers';
import type { ShelfLabelPrinter } from '../devices';
import { demoProducts } from '../seed';
import { openTestCore, PINS, type TestCore } from '../test-support';

const products = demoProducts();
const apples = products.find((p) => p.sku === '100001')!; // ¥12.90, fruit
const looseApples = products.find((p) => p.sku === '101202')!; // ¥11.98/kg, weighed (not in fruit)
const fruit = products.filter((p) => p.category === 'fruit');

let t: TestCore | null = null;
let emulator: LabelPrinterEmulator | null = null;
let printer: LabelPrinter | null = null;
afterEach(async () => {
  t?.cleanup();
  t = null;
  await printer?.close();
  printer = null;
  await emulator?.stop();
  emulator = null;
});

describe('markdown labels (labels.print {markdownId})', () => {
  it.each<LabelLanguage>(['tspl', 'zpl'])(
    'prints old price struck through and the new price for every product marked down (%s)',
    async (language) => {
      emulator = new LabelPrinterEmulator({ port: 0 });
      await emulator.start();
      printer = new LabelPrinter(createTransport(emulator.uri!), { language });
      const p = printer;
      const labelPrinter: ShelfLabelPrinter = {
        print: (labels, copies) => p.print(labels.map((l) => shelfLabelJob(l, copies))),
      };
      t = openTestCore({ labelPrinter: () => labelPrinter });
      const mgr = await t.login(PINS.manager);
      const cashier = await t.login();
      // The store already sells apples at ¥9.90: the label strikes that price, not the chain's.
      await t.ok('prices.set', { skus: [apples.sku], price: 990 }, mgr);
      const { rule } = await t.ok(
        'pricing.markdown',
        { from: '19:30', categories: ['fruit'], skus: [looseApples.sku], percentOff: 30 },
        mgr,
      );
      expect(rule.openNow).toBe(false);

      expect((await t.fail('labels.print', { markdownId: rule.id }, cashier)).code).toBe('FORBIDDEN');
      expect(await t.fail('labels.print', { markdownId: 'md-nope' }, mgr)).toMatchObject({
        code: 'NOT_FOUND',
        details: { reason: 'markdown' },
      });
      const out = await t.ok('labels.print', { markdownId: rule.id }, mgr);
      expect([...out.printed].sort()).toEqual([...fruit.map((f) => f.sku), looseApples.sku].sort());
      await expect.poll(() => emulator!.labels.length, { timeout: 5000 }).toBe(fruit.length + 1);

      // The label's first line is the name, cut to 9 glyphs with an ellipsis.
      const printedName = (name: string) => ([...name].length <= 9 ? name : [...name].slice(0, 8).join('') + '…');
      const label = (name: string) =>
        emulator!.labels.find((l) => {
          const first = l.job.elements[0];
          return first?.kind === 'text' && first.text === printedName(name);
        })!;
      const texts = (name: string) => label(name).job.elements.flatMap((e) => (e.kind === 'text' ? [e.text] : []));
      // Apples: store price ¥9.90 against −30 % of ¥12.90 = ¥9.03: the cheaper, as on the cart.
      expect(texts(apples.name)).toEqual(
        expect.arrayContaining(['原价 ￥9.90', '￥9.03', '单位 元/个', '晚间特价 19:30起']),
      );
      // Weighed apples: per kg, ¥11.98 − round(¥11.98 × 30 %) = ¥8.39/kg.
      expect(texts(looseApples.name)).toEqual(expect.arrayContaining(['原价 ￥11.98', '￥8.39', '单位 元/kg']));
      // The strike-through: a bar across the middle of the old price, as wide as the text.
      const els = label(apples.name).job.elements;
      const old = els.find((e) => e.kind === 'text' && e.text.startsWith('原价'))!;
      const bar = els.find((e) => e.kind === 'bar')!;
      if (old.kind !== 'text' || bar.kind !== 'bar') throw new Error('label elements');
      expect(bar.y).toBeGreaterThan(old.y);
      expect(bar.y + bar.height).toBeLessThan(old.y + old.size);
      expect(bar.x).toBe(old.x);
      expect(bar.width).toBeGreaterThanOrEqual(('原价 ￥9.90'.length - 2) * 12 + 2 * 24);
      expect(label(apples.name).png.subarray(1, 4).toString()).toBe('PNG');

      // The cart charges what the label says once the markdown opens.
      t.clock.advance(11 * 3_600_000); // past 19:30 store time
      await t.ok('cart.add', { sku: apples.sku, quantity: 1 }, cashier);
      expect((await t.ok('cart.get', {}, cashier)).cart.lines[0]!.total).toBe(903);
      const audit = (await t.ok('audit.list', {}, mgr)).entries.filter((e) => e.action === 'labels.print');
      expect(audit.at(-1)?.detail).toMatchObject({ markdownId: rule.id });
    },
  );
});
