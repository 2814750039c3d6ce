// The receiving note (收货单) on paper: a manager receives goods against a purchase order through
// the till's RPC (real SQLite file, real PIN login); the till sends the note through its durable
// print queue over TCP to the ESC/POS printer emulator, which decodes it back to text. Checked:
// what was received with its cost and value, short and over against the order, the ordered line
// that did not come, the total at cost and who received; `print: false` prints nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodInput, MethodName, MethodOutput } from '../../app/contract';
import { demoProducts } from '../../app/core';
import { openTill, type Till } from '../../app/till';
import { PrinterEmulator } from '../../drivers';

const products = demoProducts();
const cola = products.find((p) => p.nameEn === 'Coca-Cola 330ml')!;
const milk = products.find((p) => p.nameEn === 'Organic Milk 1L')!;
const bananas = products.find((p) => p.nameEn === 'Loose Bananas')!;

let dataDir: string;
let printer: PrinterEmulator;
let till: Till;
let manager: string;

async function ok<M extends MethodName>(method: M, input: MethodInput<M>, token: string): Promise<MethodOutput<M>> {
  const r = await till.core.call(method, input, { token });
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r as unknown as MethodOutput<M>;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'pos-receiving-note-'));
  printer = new PrinterEmulator({ port: 0 });
  await printer.start();
  till = await openTill({
    dataDir,
    seedDemo: true,
    devices: 'configured',
    printer: printer.uri!,
    logger: pino({ level: 'silent' }),
  });
  manager = (await ok('auth.login', { pin: '8888' }, '')).token;
});
afterAll(async () => {
  await till?.close();
  await printer?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('receiving note', () => {
  it('prints what was received against the order, short and over, the missing line and the total', async () => {
    const got = new Promise<{ text: string }>((resolve) => printer.once('receipt', resolve));
    const r = await ok(
      'stock.receive',
      {
        po: {
          id: 'PO-NOTE-1',
          lines: [
            { sku: cola.sku, quantity: 48 },
            { sku: bananas.sku, quantity: 20_000 },
            { sku: milk.sku, quantity: 12 },
          ],
        },
        lines: [
          { sku: cola.sku, quantity: 40, unitCost: 180 },
          { sku: bananas.sku, weightGrams: 20_350, unitCost: 420 },
        ],
      },
      manager,
    );
    expect(r.note.printed).toBe(true);
    const paper = (await got).text;
    expect(paper).toContain('收货单');
    expect(paper).toContain('PO-NOTE-1');
    expect(paper).toContain(r.receiptId.slice(-12));
    expect(paper).toContain('张敏');
    expect(paper).toContain('可口可乐 330ml');
    expect(paper).toContain('x 40 @1.80');
    expect(paper).toContain('72.00');
    expect(paper).toContain('订 x 48 短 x 8');
    expect(paper).toContain('散装香蕉');
    expect(paper).toContain('20.350kg @4.20/kg');
    expect(paper).toContain('85.47');
    expect(paper).toContain('多 0.350kg');
    const missing = paper.slice(paper.indexOf('未到货'));
    expect(missing).toContain('有机牛奶 1L');
    expect(missing).toContain('订 x 12');
    expect(paper).toContain('157.47');
  });

  it('with print: false the note comes back as text and nothing reaches the printer', async () => {
    const before = printer.receipts.length;
    const r = await ok(
      'stock.receive',
      { lines: [{ sku: cola.sku, quantity: 6, unitCost: 175 }], print: false },
      manager,
    );
    expect(r.note.printed).toBe(false);
    expect(r.note.text).toContain('无采购单');
    expect(r.note.text).toContain('10.50');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(printer.receipts.length).toBe(before);
  });
});
