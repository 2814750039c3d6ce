import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { stockMovementOp, factOp } from './core-mapping';
import { attachSyncOutbox } from '../storage';

describe('core row -> op mapping', () => {
  it('keeps the stock level the core computes, with a count as a reset', async () => {
    const db = new Database(':memory:');
    let t = 1_700_000_000_000;
    const outbox = attachSyncOutbox(db, { nodeId: 'T01', now: () => (t += 1000) });
    const rows = [
      { sku: 'a', kind: 'receive' as const, quantity: 20 },
      { sku: 'a', kind: 'sale' as const, quantity: -3, refId: 's1' },
      { sku: 'a', kind: 'return' as const, quantity: 1, refId: 'r1' },
      { sku: 'a', kind: 'transfer' as const, quantity: -5 },
      { sku: 'a', kind: 'adjust' as const, quantity: -2 },
    ];
    outbox.append(rows.map((r) => stockMovementOp(outbox.ops, 'S1', r)));
    expect((await outbox.storage.stock('S1', 'a')).onHand).toBe(20 - 3 + 1 - 5 - 2);
    outbox.append([
      stockMovementOp(outbox.ops, 'S1', { sku: 'a', kind: 'count', quantity: 9 }),
      stockMovementOp(outbox.ops, 'S1', { sku: 'a', kind: 'transfer', quantity: 4 }),
    ]);
    expect((await outbox.storage.stock('S1', 'a')).onHand).toBe(13);
    outbox.append([factOp(outbox.ops, 'S1', 'sale', 's1', { total: 300 })]);
    expect(await outbox.storage.fact('sale', 's1')).toEqual({ total: 300 });
  });
});
