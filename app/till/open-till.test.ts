// A till with the built-in printer emulator: a paid sale reaches paper (decoded by the emulator)
// with its lines and total, a reprint is marked, and printer status shows in system.status.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TillEvent } from '../contract';
import { openTill, type Till } from './index';

let till: Till;
let token: string;

function nextReceipt(t: Till, timeoutMs = 15_000): Promise<{ text: string }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no receipt reached the emulator')), timeoutMs);
    t.emulator!.once('receipt', (r: { text: string }) => {
      clearTimeout(timer);
      resolve(r);
    });
  });
}

async function ok<T>(p: Promise<T>): Promise<T & { ok: true }> {
  const r = (await p) as T & { ok: boolean; error?: unknown };
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r as T & { ok: true };
}

beforeAll(async () => {
  till = await openTill({ dataDir: mkdtempSync(join(tmpdir(), 'pos-till-')), seedDemo: true, devices: 'emulated' });
  token = (await ok(till.core.call('auth.login', { pin: '1234' }, {}))).token;
});
afterAll(async () => {
  await till?.close();
});

describe('till with emulated devices', () => {
  it('prints the receipt of a paid sale with its lines and total, and kicks the drawer for cash', async () => {
    const found = await ok(till.core.call('catalog.search', { query: 'milk', limit: 10 }, { token }));
    const items = found.products.filter((p) => p.unit === 'each').slice(0, 2);
    expect(items.length).toBe(2);
    for (const p of items) await ok(till.core.call('cart.add', { sku: p.sku }, { token }));
    const cart = (await ok(till.core.call('cart.get', {}, { token }))).cart;
    const printed = nextReceipt(till);
    const kicks = till.emulator!.drawerKicks;
    const paid = await ok(
      till.core.call('cart.pay', { tenders: [{ type: 'cash', amount: cart.total + 5000 }] }, { token }),
    );
    const receipt = await printed;
    for (const p of items) expect(receipt.text).toContain(p.name);
    expect(receipt.text).toContain((paid.total / 100).toFixed(2));
    expect(receipt.text).toContain(paid.saleNumber);
    await new Promise((r) => setTimeout(r, 200));
    expect(till.emulator!.drawerKicks).toBe(kicks + 1);

    const again = nextReceipt(till);
    await ok(till.core.call('sales.reprint', { id: paid.saleId }, { token }));
    expect((await again).text).toContain('REPRINT');
  });

  it('reports the printer in system.status and tells the cashier when its cover is open', async () => {
    const status = await ok(till.core.call('system.status', {}, { token }));
    const printer = status.devices.find((d) => d.kind === 'printer');
    expect(printer).toBeTruthy();
    const events: TillEvent[] = [];
    const listen = (e: TillEvent) => events.push(e);
    till.core.events.on('event', listen);
    till.emulator!.setStatus({ coverOpen: true });
    const deadline = Date.now() + 10_000;
    while (
      !events.some((e) => e.type === 'device.status' && /cover|盖/i.test(e.device.message ?? '')) &&
      Date.now() < deadline
    ) {
      await new Promise((r) => setTimeout(r, 100));
    }
    till.core.events.off('event', listen);
    till.emulator!.setStatus({ coverOpen: false });
    const cover = events.find((e) => e.type === 'device.status' && /cover|盖/i.test(e.device.message ?? ''));
    expect(cover, 'a device.status event naming the open cover').toBeTruthy();
  });
});
