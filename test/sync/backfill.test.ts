// Backfill: a till that sold with sync OFF (a real SQLite file) is restarted with sync ON
// against a real cloud on a loopback socket. Everything it wrote while offline-by-config
// (sales, a return, shift open/cash-in/close, audit entries, stock movements incl. the opening
// count) must reach the cloud exactly once, with the exact stock. A forced re-run (the meta
// record deleted, cursors reset) must add nothing; rows written during a later sync-off period
// are backfilled on the next start with sync on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import pino from 'pino';
import Database from 'better-sqlite3';
import type { RpcResult } from '../../app/contract';
import { demoProducts, openTerminalCore, type TerminalCore } from '../../app/core';
import { BACKFILL_META } from '../../app/core';
import { startCloud, type CloudHandle } from '../../sync';
import { cloudDb, dropCloudSchema, quietLog, tempDir, waitFor } from './helpers';

const STORE = 'S001';
const CODE = 'DEMO-BF-2026';
const cola = demoProducts().find((p) => p.nameEn === 'Coca-Cola 330ml')!;
const weighed = demoProducts().find((p) => p.unit === 'weighed')!;
const dir = tempDir('backfill-till');
const dbFile = join(dir, 'terminal.db');
let cloud: CloudHandle;
const { databaseUrl, schema } = cloudDb('backfill');

beforeAll(async () => {
  cloud = await startCloud({
    port: 0,
    databaseUrl,
    schema,
    demo: true,
    demoEnrollCode: CODE,
    demoStoreId: STORE,
    log: quietLog,
  });
}, 60_000);
afterAll(async () => {
  await cloud?.close();
  await dropCloudSchema(schema);
});

function open(syncOn: boolean): TerminalCore {
  return openTerminalCore({
    dataDir: dir,
    seedDemo: true,
    storeId: STORE,
    terminalId: 'T07',
    logger: pino({ level: 'silent' }),
    pinScryptN: 1024,
    sync: syncOn ? { cloudUrl: cloud.url, enrollCode: CODE, intervalMs: 200, maxBackoffMs: 1000 } : undefined,
  });
}
async function ok<T>(p: Promise<RpcResult<T>>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r;
}
async function sell(core: TerminalCore, token: string, colaQty: number, grams?: number): Promise<string> {
  await ok(core.call('cart.add', { sku: cola.sku, quantity: colaQty }, { token }));
  if (grams) await ok(core.call('cart.add', { sku: weighed.sku, weightGrams: grams }, { token }));
  return (await ok(core.call('cart.pay', { tenders: [{ type: 'cash', amount: 100000 }] }, { token }))).saleId;
}
function local(): { sales: string[]; audit: number; movements: number; shiftFacts: number } {
  const db = new Database(dbFile, { readonly: true });
  try {
    const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    return {
      sales: (db.prepare('SELECT id FROM sales ORDER BY id').all() as { id: string }[]).map((r) => r.id),
      audit: n('SELECT COUNT(*) AS n FROM audit_log'),
      movements: n('SELECT COUNT(*) AS n FROM stock_movements'),
      shiftFacts:
        n('SELECT COUNT(*) AS n FROM shifts') +
        n('SELECT COUNT(*) AS n FROM cash_movements') +
        n('SELECT COUNT(*) AS n FROM shift_closes'),
    };
  } finally {
    db.close();
  }
}
async function cloudCounts() {
  const ops = await cloud.storage.allOps(`store:${STORE}`);
  const facts = (kind: string) => ops.filter((o) => o.t === 'fact' && o.e === kind);
  return {
    ops: ops.length,
    sales: facts('sale')
      .map((o) => o.k)
      .sort(),
    returns: facts('return').length,
    audit: facts('audit').length,
    shift: facts('shift').length,
    mv: ops.filter((o) => o.t === 'mv').length,
  };
}
async function synced(core: TerminalCore): Promise<void> {
  await waitFor(
    'till synced with nothing pending',
    async () => {
      const s = await core.sync!.status();
      return s.state === 'ok' && s.pendingOps === 0;
    },
    60_000,
    100,
  );
}

describe('backfill when sync is switched on for a till that already has data', () => {
  it('sends what was written with sync off exactly once, with exact stock', async () => {
    // 1. Sync off: a shift with a cash-in, two sales, a return, a shift close, a new sale.
    let core = open(false);
    let { token } = await ok(core.call('auth.login', { pin: '1234' }, {}));
    await ok(core.call('shift.open', { float: 20000 }, { token }));
    await ok(core.call('shift.cashIn', { amount: 5000, reason: '备用金 / change float' }, { token }));
    const s1 = await sell(core, token, 3, 450);
    const s2 = await sell(core, token, 2);
    const sale1 = (await ok(core.call('sales.get', { id: s1 }, { token }))).sale;
    const colaLine = sale1.lines.find((l) => l.sku === cola.sku)!;
    await ok(
      core.call(
        'returns.create',
        {
          saleId: s1,
          lines: [{ lineId: colaLine.lineId, quantity: 1 }],
          reason: '包装破损 / damaged',
          managerPin: '8888',
        },
        { token },
      ),
    );
    await ok(core.call('shift.close', { countedCash: 0 }, { token }));
    // After a Z close a person opens the next shift (a sale no longer auto-opens it).
    await ok(core.call('shift.open', { float: 0 }, { token }));
    const s3 = await sell(core, token, 4);
    await core.close();
    const before = local();
    expect(before.sales).toHaveLength(3);

    // 2. Restart with sync on: the backfill queues every row, the client sends it.
    core = open(true);
    const started = Date.now();
    await synced(core);
    const c1 = await cloudCounts();
    expect(c1.sales).toEqual([s1, s2, s3].sort());
    expect(c1.returns).toBe(1);
    expect(c1.audit).toBe(before.audit);
    expect(c1.shift).toBe(before.shiftFacts);
    expect(c1.mv).toBe(before.movements);
    const expectedCola = cola.initialStock - 3 - 2 + 1 - 4;
    const level = await cloud.storage.stock(STORE, cola.sku);
    expect(level.onHand).toBe(expectedCola);
    expect((await cloud.storage.stock(STORE, weighed.sku)).onHand).toBe(weighed.initialStock - 450);
    ({ token } = await ok(core.call('auth.login', { pin: '1234' }, {})));
    expect((await ok(core.call('stock.get', { sku: cola.sku }, { token }))).onHand).toBe(expectedCola);
    console.log(`backfill: ${c1.ops} ops reached the cloud ${Date.now() - started} ms after the start with sync on`);

    // 3. A live sale with sync on, then a forced re-run: meta record deleted and every cursor
    //    reset, so the till re-scans and re-pushes everything. Nothing may be duplicated.
    const s4 = await sell(core, token, 1);
    await synced(core);
    await core.close();
    const raw = new Database(dbFile);
    const meta = JSON.parse(
      (raw.prepare('SELECT value FROM sync_meta WHERE key = ?').get(BACKFILL_META) as { value: string }).value,
    ) as { appended: number };
    expect(meta.appended).toBeGreaterThan(0);
    raw
      .prepare("DELETE FROM sync_meta WHERE key = ? OR key LIKE 'sync.push.%' OR key LIKE 'sync.pull.%'")
      .run(BACKFILL_META);
    raw.close();
    const c2 = await cloudCounts();
    core = open(true);
    await synced(core);
    const reran = new Database(dbFile, { readonly: true });
    expect(
      JSON.parse(
        (reran.prepare('SELECT value FROM sync_meta WHERE key = ?').get(BACKFILL_META) as { value: string }).value,
      ).appended,
    ).toBe(0);
    reran.close();
    expect(await cloudCounts()).toEqual(c2);
    expect(c2.sales).toEqual([s1, s2, s3, s4].sort());
    await core.close();

    // 4. Sync off again for a while, one more sale; back on: only that sale's rows are added.
    core = open(false);
    ({ token } = await ok(core.call('auth.login', { pin: '1234' }, {})));
    const s5 = await sell(core, token, 2);
    await core.close();
    core = open(true);
    await synced(core);
    const c3 = await cloudCounts();
    expect(c3.sales).toEqual([s1, s2, s3, s4, s5].sort());
    expect(c3.mv).toBe(local().movements);
    expect(c3.audit).toBe(local().audit);
    expect((await cloud.storage.stock(STORE, cola.sku)).onHand).toBe(expectedCola - 1 - 2);
    // Every op id in the cloud is unique and each sale is there once.
    const ids = (await cloud.storage.allOps(`store:${STORE}`)).map((o) => o.id);
    expect(new Set(ids).size).toBe(ids.length);
    await core.close();
  }, 180_000);
});
