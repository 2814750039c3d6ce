// Sync attached to the core: each domain write and the ops that replicate it commit in ONE
// SQLite transaction (the outbox pattern). No hub or cloud answers here (a closed loopback
// port), so every op stays in the outbox, where we read it.
import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import type { RpcResult } from '../../contract';
import { HybridClock, OpFactory } from '../../../sync/core';
import { openSqlite, type Db } from '../db';
import { demoProducts } from '../seed';
import { makeTempDir, PINS } from '../test-support';
import { openTerminalCore, type TerminalCore } from './open-terminal-core';
import { attachSyncOutbox } from '../../../sync/storage';
import { backfillIfNeeded, BACKFILL_META } from './core-sync';

const cola = demoProducts().find((p) => p.nameEn === 'Coca-Cola 330ml')!;
const weighed = demoProducts().find((p) => p.unit === 'weighed')!;
// Nothing listens on port 9 of loopback: connections are refused, the ops stay pending.
const NOWHERE = 'http://127.0.0.1:9';
const dirs: string[] = [];
const cores: TerminalCore[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function open(dataDir: string): TerminalCore {
  const core = openTerminalCore({
    dataDir,
    seedDemo: true,
    storeId: 'S001',
    terminalId: 'T01',
    logger: pino({ level: 'silent' }),
    pinScryptN: 1024,
    sync: { cloudUrl: NOWHERE, enrollCode: 'DEMO-S001-2026', intervalMs: 60_000 },
  });
  cores.push(core);
  return core;
}

async function ok<T>(p: Promise<RpcResult<T>>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r;
}

interface OpRow {
  id: string;
  t: string;
  e: string;
  k: string;
  f: string;
  n: number | null;
  b: string | null;
}
const ops = (db: Db, where: string, ...args: unknown[]) =>
  db.prepare(`SELECT id, t, e, k, f, n, b FROM sync_ops WHERE ${where} ORDER BY id`).all(...args) as OpRow[];

describe('terminal core with sync attached', () => {
  it('writes a sale and its fact + stock ops together, and stock.get reads the replicated ledger', async () => {
    const dir = makeTempDir('pos-core-sync-');
    dirs.push(dir);
    const core = open(dir);
    const { token } = await ok(core.call('auth.login', { pin: PINS.cashier }, {}));
    await ok(core.call('cart.add', { sku: cola.sku, quantity: 3 }, { token }));
    await ok(core.call('cart.add', { sku: weighed.sku, weightGrams: 450 }, { token }));
    const paid = await ok(core.call('cart.pay', { tenders: [{ type: 'cash', amount: 100000 }] }, { token }));

    const db = openSqlite(join(dir, 'terminal.db'));
    try {
      const fact = ops(db, "t = 'fact' AND e = 'sale' AND k = ?", paid.saleId);
      expect(fact).toHaveLength(1);
      const body = JSON.parse(fact[0]!.b!) as {
        number: string;
        total: number;
        lines: unknown[];
        tenders: unknown[];
        terminalId: string;
      };
      expect(body).toMatchObject({ number: paid.saleNumber, total: paid.total, terminalId: 'T01' });
      expect(body.lines).toHaveLength(2);
      expect(body.tenders).toHaveLength(1);
      // One movement per line (signed like the core ledger), items for the can, grams for the weighed line.
      const mv = ops(db, "t = 'mv' AND f = 'sale' AND b LIKE ?", `%${paid.saleId}%`);
      expect(mv.map((m) => [m.k, m.n]).sort()).toEqual(
        [
          [cola.sku, -3],
          [weighed.sku, -450],
        ].sort(),
      );
      // The shift auto-opened by the sale and the audit entries replicate too.
      expect(ops(db, "t = 'fact' AND e = 'shift'")).toHaveLength(1);
      expect(ops(db, "t = 'fact' AND e = 'audit'").length).toBeGreaterThanOrEqual(3);
      // Opening stock was seeded as a count (the level), so replicated and local stock agree.
      const stock = await ok(core.call('stock.get', { sku: cola.sku }, { token }));
      expect(stock.onHand).toBe(cola.initialStock - 3);
      const local = db
        .prepare("SELECT quantity FROM stock_movements WHERE sku = ? AND kind = 'count'")
        .get(cola.sku) as { quantity: number };
      expect(local.quantity).toBe(cola.initialStock);
    } finally {
      db.close();
    }

    // A return: its fact and a `return` movement per line, in the same transaction.
    const sale = (await ok(core.call('sales.get', { id: paid.saleId }, { token }))).sale;
    const colaLine = sale.lines.find((l) => l.sku === cola.sku)!;
    const ret = (
      await ok(
        core.call(
          'returns.create',
          {
            saleId: paid.saleId,
            lines: [{ lineId: colaLine.lineId, quantity: 1 }],
            reason: '包装破损',
            managerPin: PINS.manager,
          },
          { token },
        ),
      )
    ).return;
    const db2 = openSqlite(join(dir, 'terminal.db'));
    try {
      expect(JSON.parse(ops(db2, "t = 'fact' AND e = 'return' AND k = ?", ret.id)[0]!.b!)).toMatchObject({
        saleId: paid.saleId,
        amount: ret.amount,
      });
      expect(ops(db2, "t = 'mv' AND f = 'return'").map((m) => [m.k, m.n])).toEqual([[cola.sku, 1]]);
    } finally {
      db2.close();
    }
    expect((await ok(core.call('stock.get', { sku: cola.sku }, { token }))).onHand).toBe(cola.initialStock - 2);

    const status = await ok(core.call('system.status', {}, { token }));
    expect(status.sync.state).not.toBe('disabled');
    expect(status.sync.pendingOps).toBeGreaterThan(0);
  });

  it('no sale without its ops and no ops without the sale: a failing op write rolls the sale back', async () => {
    const dir = makeTempDir('pos-core-sync-');
    dirs.push(dir);
    const core = open(dir);
    const { token } = await ok(core.call('auth.login', { pin: PINS.cashier }, {}));
    await ok(core.call('cart.add', { sku: cola.sku, quantity: 2 }, { token }));
    // The op store refuses the sale fact (as a full disk or a crash at that point would).
    const side = openSqlite(join(dir, 'terminal.db'));
    side.exec(
      "CREATE TRIGGER refuse_sale_fact BEFORE INSERT ON sync_ops WHEN NEW.t = 'fact' AND NEW.e = 'sale' BEGIN SELECT RAISE(ABORT, 'disk full'); END",
    );
    const before = (side.prepare('SELECT COUNT(*) AS n FROM sync_ops').get() as { n: number }).n;
    const failed = await core.call('cart.pay', { tenders: [{ type: 'cash', amount: 100000 }] }, { token });
    expect(failed.ok).toBe(false);
    expect((side.prepare('SELECT COUNT(*) AS n FROM sales').get() as { n: number }).n).toBe(0);
    expect(
      (side.prepare("SELECT COUNT(*) AS n FROM stock_movements WHERE kind = 'sale'").get() as { n: number }).n,
    ).toBe(0);
    // The stock movement ops appended before the fact are rolled back with it.
    expect((side.prepare('SELECT COUNT(*) AS n FROM sync_ops').get() as { n: number }).n).toBe(before);
    // The cart is untouched, and once the op store works again the sale goes through.
    side.exec('DROP TRIGGER refuse_sale_fact');
    side.close();
    const cart = await ok(core.call('cart.get', {}, { token }));
    expect(cart.cart.itemCount).toBe(2);
    const paid = await ok(core.call('cart.pay', { tenders: [{ type: 'cash', amount: 100000 }] }, { token }));
    const db = openSqlite(join(dir, 'terminal.db'));
    try {
      expect(ops(db, "t = 'fact' AND e = 'sale' AND k = ?", paid.saleId)).toHaveLength(1);
    } finally {
      db.close();
    }
  });

  it("replicates config changes per field as this till's own config", async () => {
    const dir = makeTempDir('pos-core-sync-');
    dirs.push(dir);
    const core = open(dir);
    const { token } = await ok(core.call('auth.login', { pin: PINS.manager }, {}));
    await ok(core.call('config.set', { patch: { maxCashierDiscountPercent: 15 } }, { token }));
    const db = openSqlite(join(dir, 'terminal.db'));
    try {
      const set = ops(db, "t = 'set' AND e = 'config'");
      expect(set.map((o) => [o.k, o.f, JSON.parse(o.b!)])).toEqual([['S001/T01', 'maxCashierDiscountPercent', 15]]);
    } finally {
      db.close();
    }
  });

  it('mirrors catalog, price and config ops from other replicas (last writer wins per field) and search follows', async () => {
    const dir = makeTempDir('pos-core-sync-');
    dirs.push(dir);
    const core = open(dir);
    const { token } = await ok(core.call('auth.login', { pin: PINS.cashier }, {}));
    expect((await ok(core.call('catalog.search', { query: 'xinpin' }, { token }))).products).toEqual([]); // index built
    // Cloud instances stamp as C + 8 hex: the namespace the authorship table reads as HQ.
    const cloud = new OpFactory(new HybridClock({ nodeId: 'C000000c1', now: Date.now }));
    const stale = new OpFactory(new HybridClock({ nodeId: 'C000000c2', now: () => Date.now() - 60_000 }));
    const storage = core.sync!.outbox.storage;
    await storage.apply(
      [
        ...Object.entries({
          name: '新品酸奶',
          nameEn: 'New yogurt',
          price: 650,
          unit: 'each',
          category: 'dairy',
          barcodes: ['06970000000017'],
        }).map(([f, v]) => cloud.set('chain', 'product', 'NEW1', f, v)),
        cloud.set('store:S001', 'config', 'S001', 'maxCashierDiscountPercent', 25),
        cloud.set('store:S001', 'config', 'S001', 'lang', 'fr'), // not a till language: refused
      ],
      'up:cloud',
    );
    // An older write arriving later loses (LWW by stamp, not by arrival).
    await storage.apply([stale.set('chain', 'product', 'NEW1', 'price', 999)], 'up:cloud');
    const product = (await ok(core.call('catalog.get', { sku: 'NEW1' }, { token }))).product;
    expect(product).toMatchObject({
      name: '新品酸奶',
      price: 650,
      unit: 'each',
      active: true,
      barcodes: ['06970000000017'],
    });
    await new Promise((r) => setImmediate(r));
    expect((await ok(core.call('catalog.search', { query: 'xinpin' }, { token }))).products.map((p) => p.sku)).toEqual([
      'NEW1',
    ]);
    await ok(core.call('cart.scan', { code: '6970000000017' }, { token }));
    // A store price overrides the chain price; deactivating removes it from search.
    await storage.apply(
      [cloud.set('store:S001', 'price', 'NEW1', 'price', 600), cloud.set('chain', 'product', 'NEW1', 'active', false)],
      'up:cloud',
    );
    expect((await ok(core.call('catalog.get', { sku: 'NEW1' }, { token }))).product).toMatchObject({
      price: 600,
      active: false,
    });
    await new Promise((r) => setImmediate(r));
    expect((await ok(core.call('catalog.search', { query: 'xinpin' }, { token }))).products).toEqual([]);
    // Field by field: the bad language is refused, the discount limit applies.
    expect((await ok(core.call('config.get', {}, { token }))).config).toMatchObject({
      maxCashierDiscountPercent: 25,
      lang: 'zh-CN',
    });
    await storage.apply([cloud.set('store:S001', 'config', 'S001', 'lang', 'en')], 'up:cloud');
    expect((await ok(core.call('config.get', {}, { token }))).config).toMatchObject({
      maxCashierDiscountPercent: 25,
      lang: 'en',
    });
  });

  it('applies no catalog, price or config op a store device wrote, whichever path brought it (issue #10, item 7)', async () => {
    const dir = makeTempDir('pos-core-sync-');
    dirs.push(dir);
    const core = open(dir);
    const { token } = await ok(core.call('auth.login', { pin: PINS.manager }, {}));
    const before = (await ok(core.call('catalog.get', { sku: cola.sku }, { token }))).product;
    const storage = core.sync!.outbox.storage;
    // The demonstrated attack: a device enrolled in the store (node R66) rewrites the price, the
    // name, the cashier discount limit and the customer display's WeCom QR; it also writes
    // store-wide config in another till's name (T02) and T01's own config key with a forged T02 stamp.
    const rogue = new OpFactory(new HybridClock({ nodeId: 'R66', now: () => Date.now() + 1000 }));
    const forgedT02 = new OpFactory(new HybridClock({ nodeId: 'T02', now: () => Date.now() + 1000 }));
    await storage.apply(
      [
        rogue.set('store:S001', 'product', cola.sku, 'price', 1),
        rogue.set('store:S001', 'product', cola.sku, 'name', 'FREE'),
        rogue.set('store:S001', 'price', cola.sku, 'price', 1),
        rogue.set('store:S001', 'config', 'S001', 'maxCashierDiscountPercent', 100),
        rogue.set('store:S001', 'config', 'S001', 'wecomQrUrl', 'https://evil.example/qr'),
        forgedT02.set('store:S001', 'config', 'S001/T01', 'maxCashierDiscountPercent', 90),
      ],
      'up:hub',
    );
    expect((await ok(core.call('catalog.get', { sku: cola.sku }, { token }))).product).toMatchObject({
      name: before.name,
      price: before.price,
    });
    expect((await ok(core.call('config.get', {}, { token }))).config).toMatchObject({
      maxCashierDiscountPercent: 10,
      wecomQrUrl: null,
    });
    // The authors the table names still apply: an HQ store price, a technician's store-wide
    // config, and a manager's markdown beats the HQ price when it is newer.
    const hq = new OpFactory(new HybridClock({ nodeId: 'C0000aaaa', now: () => Date.now() + 2000 }));
    const tech = new OpFactory(new HybridClock({ nodeId: 'TECH_S001', now: () => Date.now() + 2000 }));
    await storage.apply(
      [
        hq.set('store:S001', 'price', cola.sku, 'price', 290),
        tech.set('store:S001', 'config', 'S001', 'maxCashierDiscountPercent', 20),
      ],
      'up:hub',
    );
    expect((await ok(core.call('catalog.get', { sku: cola.sku }, { token }))).product.price).toBe(290);
    expect((await ok(core.call('config.get', {}, { token }))).config.maxCashierDiscountPercent).toBe(20);
    const mgr = new OpFactory(new HybridClock({ nodeId: 'MGR_S001', now: () => Date.now() + 3000 }));
    await storage.apply([mgr.set('store:S001', 'price', cola.sku, 'price', 250)], 'up:hub');
    expect((await ok(core.call('catalog.get', { sku: cola.sku }, { token }))).product.price).toBe(250);
    // This till's own config.set still works and beats the older store-wide value.
    await ok(core.call('config.set', { patch: { maxCashierDiscountPercent: 15 } }, { token }));
    expect((await ok(core.call('config.get', {}, { token }))).config.maxCashierDiscountPercent).toBe(15);
  });

  it('backfills rows written with sync off with deterministic op ids, once', async () => {
    const dir = makeTempDir('pos-core-backfill-');
    dirs.push(dir);
    const plain = openTerminalCore({
      dataDir: dir,
      seedDemo: true,
      storeId: 'S001',
      terminalId: 'T01',
      logger: pino({ level: 'silent' }),
      pinScryptN: 1024,
    });
    const { token } = await ok(plain.call('auth.login', { pin: PINS.cashier }, {}));
    await ok(plain.call('cart.add', { sku: cola.sku, quantity: 2 }, { token }));
    await ok(plain.call('cart.pay', { tenders: [{ type: 'cash', amount: 100000 }] }, { token }));
    await plain.close();
    // Two copies of the same database backfill to the very same op ids.
    const idsOf = (file: string): { ids: string[]; appended: number; again: number } => {
      const db = openSqlite(file);
      try {
        const outbox = attachSyncOutbox(db, { nodeId: 'S001_T01' });
        const deps = { db, storeId: 'S001', logger: pino({ level: 'silent' }) };
        const appended = backfillIfNeeded(outbox, deps);
        // Meta says done and nothing changed: skipped. Meta lost: re-scan finds nothing missing.
        expect(backfillIfNeeded(outbox, deps)).toBe(0);
        db.prepare('DELETE FROM sync_meta WHERE key = ?').run(BACKFILL_META);
        const again = backfillIfNeeded(outbox, deps);
        const ids = (db.prepare('SELECT id FROM sync_ops ORDER BY id').all() as { id: string }[]).map((r) => r.id);
        return { ids, appended, again };
      } finally {
        db.close();
      }
    };
    const a = join(dir, 'copy-a.db');
    const b = join(dir, 'copy-b.db');
    const src = openSqlite(join(dir, 'terminal.db'));
    await src.backup(a);
    await src.backup(b);
    const rows = (
      src
        .prepare(
          'SELECT (SELECT COUNT(*) FROM stock_movements) + (SELECT COUNT(*) FROM audit_log) + (SELECT COUNT(*) FROM sales) + (SELECT COUNT(*) FROM shifts) AS n',
        )
        .get() as { n: number }
    ).n;
    src.close();
    const ra = idsOf(a);
    const rb = idsOf(b);
    expect(ra.appended).toBe(rows);
    expect(ra.again).toBe(0);
    expect(ra.ids).toHaveLength(rows);
    expect(ra.ids).toEqual(rb.ids);
    expect(ra.ids.every((id) => id.endsWith('S001_T01_bf'))).toBe(true);
  });
});
