// Stock work replicates: two tills of one store (real terminal cores on real SQLite) sync with
// the cloud (a child process). Goods received on T01 show in T02's stock, waste written off on
// T02 comes off T01's, and the ledger bodies (receiving cost, waste reason and cost) reach the
// other till's replica unchanged. The receiving body (cost 410/kg) is checked on T02's replica.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { demoProducts, type TerminalCore } from '../../app/core';
import { tempDir, waitFor } from './helpers';
import { ok, openCloudSyncedTill, startCloud, type CloudProcess } from './store-processes';

const ADMIN = 'stock-work-admin-token';
const bananas = demoProducts().find((p) => p.nameEn === 'Loose Bananas')!;
let cloud: CloudProcess;
const cores: TerminalCore[] = [];

beforeAll(async () => {
  cloud = await startCloud('stockwork', ADMIN);
}, 120_000);

afterAll(async () => {
  for (const c of cores.splice(0)) await c.close();
  await cloud?.stop();
});

describe('stock work across two tills', () => {
  it('receiving on one till shows on the other; waste on the other comes off the first; bodies travel', async () => {
    const dirs = ['T01', 'T02'].map((t) => tempDir(`stockwork-${t}`));
    const tills: TerminalCore[] = [];
    for (const [i, terminalId] of ['T01', 'T02'].entries()) {
      const core = await openCloudSyncedTill(cloud, 'stockwork', 'S001', terminalId, dirs[i]!);
      cores.push(core);
      tills.push(core);
    }
    const [a, b] = tills as [TerminalCore, TerminalCore];
    const login = async (core: TerminalCore, pin: string) => (await ok(core.call('auth.login', { pin }, {}))).token;
    const level = async (core: TerminalCore, token: string) =>
      (await ok(core.call('stock.get', { sku: bananas.sku }, { token }))).onHand;

    const mgrA = await login(a, '8888');
    const mgrB = await login(b, '8888');
    // Both tills seeded the demo's opening counts; once synced they agree on one level.
    await waitFor('both tills agree', async () => (await level(a, mgrA)) === (await level(b, mgrB)), 60_000, 200);
    const start = await level(a, mgrA);
    await ok(
      a.call('stock.receive', { lines: [{ sku: bananas.sku, weightGrams: 12_500, unitCost: 410 }] }, { token: mgrA }),
    );
    expect(await level(a, mgrA)).toBe(start + 12_500);

    await waitFor('the receipt reaches T02', async () => (await level(b, mgrB)) === start + 12_500, 60_000, 200);
    await ok(b.call('stock.waste', { sku: bananas.sku, weightGrams: 2000, reason: 'spoiled' }, { token: mgrB }));
    await waitFor('the waste reaches T01', async () => (await level(a, mgrA)) === start + 10_500, 60_000, 200);

    // The ledger bodies on T01's replica: T02's waste with its reason and cost.
    const db = new Database(join(dirs[0]!, 'terminal.db'), { readonly: true });
    try {
      const waste = db
        .prepare("SELECT n, b FROM sync_ops WHERE t = 'mv' AND f = 'adjust' AND k = ?")
        .all(bananas.sku) as { n: number; b: string }[];
      expect(waste.map((w) => [w.n, JSON.parse(w.b)])).toEqual([
        // cost: T02 values at its own products.cost, which catalog sync does not carry yet (docs/back-office.md).
        [-2000, expect.objectContaining({ waste: 'spoiled', cost: expect.any(Number), staff: expect.any(String) })],
      ]);
    } finally {
      db.close();
    }
    const dbB = new Database(join(dirs[1]!, 'terminal.db'), { readonly: true });
    try {
      const rec = dbB
        .prepare("SELECT n, b FROM sync_ops WHERE t = 'mv' AND f = 'receive' AND k = ?")
        .all(bananas.sku) as { n: number; b: string }[];
      expect(rec.map((r) => [r.n, JSON.parse(r.b)])).toContainEqual([
        12_500,
        expect.objectContaining({ cost: 410, staff: expect.any(String) }),
      ]);
    } finally {
      dbB.close();
    }
  }, 180_000);
});
