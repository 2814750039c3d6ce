// Transfers (调拨) between two stores, each a till on its own real SQLite: the receiving store
// requests, the sending store learns the request (importTransfer, the record sync hands over)
// and ships, the receiver learns the shipment and records what arrived. Both stores sell the
// product meanwhile; every step is idempotent and audited, and roles are checked.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TransferView } from '../../contract';
import { openSqlite } from '../db';
import { demoProducts } from '../seed';
import { openTestCore, PINS, type TestCore } from '../test-support';
import { importTransfer } from './transfers';

const opened: TestCore[] = [];
afterEach(() => {
  while (opened.length) opened.pop()!.cleanup();
});

function store(storeId: string): TestCore {
  const t = openTestCore({ storeId });
  opened.push(t);
  return t;
}

const cola = demoProducts().find((p) => p.nameEn === 'Coca-Cola 330ml')!;
const onHand = async (t: TestCore, token: string) => (await t.ok('stock.get', { sku: cola.sku }, token)).onHand;

/** What sync does between the two stores: hand the transfer record to the other store's till. */
function handOver(to: TestCore, transfer: TransferView): boolean {
  const db = openSqlite(join(to.dataDir, 'terminal.db'));
  try {
    return importTransfer(db, transfer);
  } finally {
    db.close();
  }
}

function transferRows(t: TestCore): { kind: string; quantity: number; ref_id: string; body: string }[] {
  const db = openSqlite(join(t.dataDir, 'terminal.db'));
  try {
    return db
      .prepare("SELECT kind, quantity, ref_id, body FROM stock_movements WHERE kind = 'transfer' ORDER BY id")
      .all() as never;
  } finally {
    db.close();
  }
}

async function sell(t: TestCore, token: string, quantity: number): Promise<void> {
  await t.ok('cart.add', { sku: cola.sku, quantity }, token);
  await t.ok('cart.pay', { tenders: [{ type: 'cash', amount: 10_000 }] }, token);
}

describe('transfers between stores', () => {
  it('request → ship → receive moves the stock once, with the variance, while both stores sell', async () => {
    const sender = store('S001');
    const receiver = store('S002');
    const sMgr = await sender.login(PINS.manager);
    const rMgr = await receiver.login(PINS.manager);
    const sCashier = await sender.login();
    const rCashier = await receiver.login();
    const senderStart = await onHand(sender, sMgr);
    const receiverStart = await onHand(receiver, rMgr);

    const { transfer: requested } = await receiver.ok(
      'transfers.request',
      { fromStore: 'S001', sku: cola.sku, quantity: 12, id: 'TR-1' },
      rMgr,
    );
    expect(requested).toMatchObject({ id: 'TR-1', fromStore: 'S001', toStore: 'S002', status: 'requested' });
    // A retry of the same request is the same transfer; a different one under that id is refused.
    expect(
      (await receiver.ok('transfers.request', { fromStore: 'S001', sku: cola.sku, quantity: 12, id: 'TR-1' }, rMgr))
        .transfer,
    ).toEqual(requested);
    expect(
      (await receiver.fail('transfers.request', { fromStore: 'S001', sku: cola.sku, quantity: 13, id: 'TR-1' }, rMgr))
        .details,
    ).toMatchObject({ reason: 'transfer-id-taken' });
    // The receiver cannot ship its own request.
    expect((await receiver.fail('transfers.ship', { id: 'TR-1' }, rMgr)).details).toMatchObject({
      reason: 'transfer-not-sender',
    });
    // Nor receive what was not shipped.
    expect((await receiver.fail('transfers.receive', { id: 'TR-1', quantity: 12 }, rMgr)).details).toMatchObject({
      reason: 'transfer-not-shipped',
    });
    // The sender does not know the transfer before sync hands it over.
    expect((await sender.fail('transfers.ship', { id: 'TR-1' }, sMgr)).code).toBe('NOT_FOUND');

    expect(handOver(sender, requested)).toBe(true);
    expect(handOver(sender, requested)).toBe(false);
    await sell(sender, sCashier, 2);
    sender.clock.advance(1000);
    const { transfer: shipped } = await sender.ok('transfers.ship', { id: 'TR-1', quantity: 10 }, sMgr);
    expect(shipped).toMatchObject({ status: 'shipped', shippedQuantity: 10 });
    // Shipping again moves nothing.
    expect((await sender.ok('transfers.ship', { id: 'TR-1' }, sMgr)).transfer).toEqual(shipped);
    await sell(sender, sCashier, 1);
    expect(await onHand(sender, sMgr)).toBe(senderStart - 2 - 10 - 1);

    // In transit: the receiver has not got it yet and keeps selling.
    await sell(receiver, rCashier, 3);
    expect(await onHand(receiver, rMgr)).toBe(receiverStart - 3);
    expect(handOver(receiver, shipped)).toBe(true);
    // A stale copy of the request arriving late does not move the transfer back.
    expect(handOver(receiver, requested)).toBe(false);
    receiver.clock.advance(1000);
    const { transfer: received } = await receiver.ok('transfers.receive', { id: 'TR-1', quantity: 9 }, rMgr);
    expect(received).toMatchObject({ status: 'received', shippedQuantity: 10, receivedQuantity: 9, variance: -1 });
    expect((await receiver.ok('transfers.receive', { id: 'TR-1', quantity: 9 }, rMgr)).transfer).toEqual(received);
    await sell(receiver, rCashier, 1);
    expect(await onHand(receiver, rMgr)).toBe(receiverStart - 3 + 9 - 1);
    expect(await onHand(sender, sMgr)).toBe(senderStart - 13);

    // Exactly one ledger row per side, with its body.
    const out = transferRows(sender);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ quantity: -10, ref_id: 'TR-1:out' });
    expect(JSON.parse(out[0]!.body)).toMatchObject({ transfer: 'TR-1', to: 'S002' });
    const into = transferRows(receiver);
    expect(into).toHaveLength(1);
    expect(into[0]).toMatchObject({ quantity: 9, ref_id: 'TR-1:in' });
    expect(JSON.parse(into[0]!.body)).toMatchObject({ transfer: 'TR-1', from: 'S001', shipped: 10, variance: -1 });

    // The sender learns the receipt; both stores list the same transfer.
    expect(handOver(sender, received)).toBe(true);
    expect((await sender.ok('transfers.list', {}, sMgr)).transfers).toEqual([received]);
    expect((await receiver.ok('transfers.list', {}, rMgr)).transfers).toEqual([received]);

    const sAudit = (await sender.ok('audit.list', {}, sMgr)).entries.filter((e) => e.action.startsWith('transfers.'));
    expect(sAudit.map((e) => e.action)).toEqual(['transfers.ship']);
    const rAudit = (await receiver.ok('audit.list', {}, rMgr)).entries.filter((e) => e.action.startsWith('transfers.'));
    expect(rAudit.map((e) => e.action).sort()).toEqual(['transfers.receive', 'transfers.request']);
    expect(rAudit.find((e) => e.action === 'transfers.receive')?.detail).toMatchObject({ variance: -1 });
  });

  it('refuses a transfer from the own store, an unknown product and a cashier', async () => {
    const t = store('S002');
    const mgr = await t.login(PINS.manager);
    const cashier = await t.login();
    expect(
      (await t.fail('transfers.request', { fromStore: 'S002', sku: cola.sku, quantity: 1 }, mgr)).details,
    ).toMatchObject({ reason: 'transfer-same-store' });
    expect((await t.fail('transfers.request', { fromStore: 'S001', sku: 'nope', quantity: 1 }, mgr)).code).toBe(
      'PRODUCT_NOT_FOUND',
    );
    expect((await t.fail('transfers.request', { fromStore: 'S001', sku: cola.sku, quantity: 0 }, mgr)).code).toBe(
      'BAD_INPUT',
    );
    for (const m of ['transfers.request', 'transfers.list'] as const)
      expect((await t.fail(m, { fromStore: 'S001', sku: cola.sku, quantity: 1 } as never, cashier)).code).toBe(
        'FORBIDDEN',
      );
    expect((await t.ok('transfers.list', {}, mgr)).transfers).toEqual([]);
  });

  it('stock.nearby without sync says so (no guess from the own replica)', async () => {
    const t = store('S002');
    const mgr = await t.login(PINS.manager);
    expect(await t.fail('stock.nearby', { sku: cola.sku }, mgr)).toMatchObject({
      code: 'STOCK_NEARBY_OFFLINE',
      details: { reason: 'sync-off' },
    });
  });
});
