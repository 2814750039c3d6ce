// The authorship table: who may write which op, which entity belongs to which scope, and what a
// hub or the cloud does with a pushed op (accept, refuse the batch, or leave a relayed one out).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HybridClock } from './hlc';
import { OpFactory } from './op-factory';
import {
  admitPushedOp,
  admitPushedOps,
  authorRoleOfNode,
  deviceOfNode,
  nodeOfDevice,
  opRefusal,
  tillNodeId,
  type AuthorRole,
} from './authorship';
import { NODE_ID_PATTERN } from './hlc';
import type { Op } from './ops';

const by = (node: string) => new OpFactory(new HybridClock({ nodeId: node, now: () => 1_764_000_000_000 }));
const NODES: Record<AuthorRole, string> = { hq: 'C0a1b2c3d', manager: 'MGR_S1', technician: 'TECH_S1', store: 'T01' };
const allowed = (make: (f: OpFactory) => Op) =>
  (Object.keys(NODES) as AuthorRole[]).filter((role) => opRefusal(make(by(NODES[role]))) === null);

describe('author roles by node namespace', () => {
  it('reads the cloud, HQ, manager and technician namespaces; every other node is a store device', () => {
    expect(
      ['C0123abcd', 'HQ_console', 'MGR_S001', 'TECH_S001', 'T01', 'T01_bf', 'HS001', 'ES001', 'C1', 'CDEADBEEF'].map(
        authorRoleOfNode,
      ),
    ).toEqual(['hq', 'hq', 'manager', 'technician', 'store', 'store', 'store', 'store', 'store', 'store']);
  });
});

describe('who may author what', () => {
  it('chain catalog and chain prices: HQ only', () => {
    expect(allowed((f) => f.set('chain', 'product', 'p1', 'price', 990))).toEqual(['hq']);
    expect(allowed((f) => f.set('chain', 'price', 'p1', 'price', 990))).toEqual(['hq']);
    expect(allowed((f) => f.set('chain', 'promotion', 'x', 'pct', 10))).toEqual(['hq']);
  });

  it('store markdowns: HQ and store managers; never a product in a store scope', () => {
    expect(allowed((f) => f.set('store:S1', 'price', 'p1', 'price', 1))).toEqual(['hq', 'manager']);
    expect(allowed((f) => f.set('store:S1', 'promotion', 'x', 'pct', 10))).toEqual(['hq', 'manager']);
    expect(allowed((f) => f.set('store:S1', 'product', 'p1', 'price', 1))).toEqual([]);
  });

  it("a till's evening markdown: store promotions keyed md-… from store devices too; never chain-wide", () => {
    expect(allowed((f) => f.set('store:S1', 'promotion', 'md-1', 'rule', {}))).toEqual(['hq', 'manager', 'store']);
    expect(allowed((f) => f.set('chain', 'promotion', 'md-1', 'rule', {}))).toEqual(['hq']);
    expect(allowed((f) => f.set('store:S1', 'promotion', 'x-md-1', 'rule', {}))).toEqual(['hq', 'manager']);
    expect(allowed((f) => f.set('store:S1', 'price', 'md-1', 'price', 1))).toEqual(['hq', 'manager']);
    expect(
      admitPushedOp(
        by('S1_T01').set('store:S1', 'promotion', 'md-1', 'rule', {}),
        { deviceId: 'T01', role: 'terminal', storeId: 'S1' },
        'hub',
      ),
    ).toEqual({ ok: true });
  });

  it("a manager's store price change on a till: store promotions keyed sp-… from store devices, its own store only", () => {
    expect(allowed((f) => f.set('store:S1', 'promotion', 'sp-1', 'rule', {}))).toEqual(['hq', 'manager', 'store']);
    expect(allowed((f) => f.set('chain', 'promotion', 'sp-1', 'rule', {}))).toEqual(['hq']);
    expect(allowed((f) => f.set('store:S1', 'price', 'sp-1', 'price', 1))).toEqual(['hq', 'manager']);
    const till = { deviceId: 'T01', role: 'terminal', storeId: 'S1' } as const;
    expect(admitPushedOp(by('S1_T01').set('store:S1', 'promotion', 'sp-1', 'rule', {}), till, 'hub')).toEqual({
      ok: true,
    });
    // Another store's scope is refused before authorship, by the device's write scopes (sync/protocol scopesFor).
  });

  it("store-wide config: HQ and technicians, store settings also a till of the store; a till's own config: also that till, no other", () => {
    expect(allowed((f) => f.set('store:S1', 'config', 'S1', 'storeName', 'Mine'))).toEqual(['hq', 'technician']);
    // A manager's store settings (settings.set, issue 17) travel store-wide from a till of the
    // store (node S1_T01), not from another store device (T01 bare, a hub, another store's till).
    expect(allowed((f) => f.set('store:S1', 'config', 'S1', 'maxCashierDiscountPercent', 100))).toEqual([
      'hq',
      'technician',
    ]);
    const setting = (node: string) => by(node).set('store:S1', 'config', 'S1', 'maxCashierDiscountPercent', 100);
    expect(opRefusal(setting('S1_T01'))).toBeNull();
    expect(opRefusal(setting('S1_T01_bf'))).toBeNull();
    for (const node of ['HS1', 'R66', 'S2_T01']) expect(opRefusal(setting(node))?.code, node).toBe('AUTHOR_FORBIDDEN');
    expect(opRefusal(by('S1_T01').set('store:S1', 'config', 'S1', 'storeName', 'Mine'))?.code).toBe('AUTHOR_FORBIDDEN');
    // The store's WeCom QR is a store setting; its 获客链接 (which carries the per-sale attribution)
    // is HQ's alone: a till of the store cannot point the store's receipts at another link.
    expect(opRefusal(by('S1_T01').set('store:S1', 'config', 'S1', 'wecomQrUrl', 'https://x.example/q'))).toBeNull();
    expect(allowed((f) => f.set('store:S1', 'config', 'S1', 'wecomLinkUrl', 'https://x.example/ca'))).toEqual([
      'hq',
      'technician',
    ]);
    expect(opRefusal(by('S1_T01').set('store:S1', 'config', 'S1', 'wecomLinkUrl', 'https://x.example/ca'))?.code).toBe(
      'AUTHOR_FORBIDDEN',
    );
    expect(allowed((f) => f.set('store:S1', 'config', 'S1/T01', 'receiptWidth', 80))).toEqual([
      'hq',
      'technician',
      'store',
    ]);
    expect(opRefusal(by('T02').set('store:S1', 'config', 'S1/T01', 'receiptWidth', 80))?.code).toBe('AUTHOR_FORBIDDEN');
    expect(opRefusal(by('T01_bf').set('store:S1', 'config', 'S1/T01', 'receiptWidth', 80))).toBeNull();
    expect(opRefusal(by('C0a1b2c3d').set('store:S1', 'config', 'S2', 'lang', 'en'))?.code).toBe('SCOPE_FORBIDDEN');
    expect(opRefusal(by('C0a1b2c3d').set('chain', 'config', 'S1', 'lang', 'en'))?.code).toBe('SCOPE_FORBIDDEN');
  });

  it('revocations and online orders: HQ only; sales, stock and members: store devices too', () => {
    expect(allowed((f) => f.fact('store:S1', 'device_revoked', 'T01.x', { at: 'x' }))).toEqual(['hq']);
    expect(allowed((f) => f.fact('store:S1', 'online_order', 'o1', { storeId: 'S1' }))).toEqual(['hq']);
    // A till releases an order's reservation at handover (docs/orders.md); scope still binds it to its store.
    expect(allowed((f) => f.move('S1', 'p1', 'reservation', 2, 'o1'))).toEqual(['hq', 'manager', 'store']);
    const ev = (kind: string) => (f: OpFactory) => f.fact('store:S1', 'order_event', 'o1.e1', { orderId: 'o1', kind });
    expect(allowed(ev('collected'))).toEqual(['hq', 'manager', 'store']);
    expect(allowed(ev('cancelled'))).toEqual(['hq']);
    expect(allowed(ev('expired'))).toEqual(['hq']);
    expect(allowed((f) => f.fact('store:S1', 'sale', 's1', {}))).toEqual(['hq', 'manager', 'store']);
    expect(allowed((f) => f.move('S1', 'p1', 'sale', 2))).toEqual(['hq', 'manager', 'store']);
    expect(allowed((f) => f.points('store:S1', 'm1', 10, 'sale'))).toEqual(['hq', 'manager', 'store']);
    expect(allowed((f) => f.footfall('S1', 'door1', 'a', 'b', 1, 1))).toEqual(['hq', 'store']);
  });

  it('coupons: only HQ issues them, in their own store; a till records redemptions of its store', () => {
    expect(allowed((f) => f.fact('store:S1', 'coupon', 'CPN1', { storeId: 'S1' }))).toEqual(['hq']);
    const redeemed = (f: OpFactory) => f.fact('store:S1', 'coupon_redemption', 'CPN1.s1', { code: 'CPN1' });
    expect(allowed(redeemed)).toEqual(['hq', 'manager', 'store']);
    expect(opRefusal(by('C0a1b2c3d').fact('store:S1', 'coupon', 'CPN1', { storeId: 'S2' }))?.code).toBe(
      'SCOPE_FORBIDDEN',
    );
    expect(opRefusal(by('T01').fact('store:S1', 'coupon_redemption', 'CPN2.s1', { code: 'CPN1' }))?.code).toBe(
      'SCOPE_FORBIDDEN',
    );
  });
});

describe('staff records (set staff)', () => {
  const hash = `scrypt$1024$8$1$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(32).toString('base64')}`;
  const staffOp = (node: string, scope = 'store:S1', field = 'pin') =>
    by(node).set(scope, 'staff', 'st-1', field, { hash, mustChange: true });

  it('a till of the store and HQ may write them; not its hub, edge agent, manager or technician device, nor another store', () => {
    expect(opRefusal(staffOp('S1_T01'))).toBeNull();
    expect(opRefusal(staffOp('S1_T01_bf'))).toBeNull();
    expect(opRefusal(staffOp(tillNodeId('store-x', 'T-1'), 'store:store-x'))).toBeNull();
    expect(opRefusal(staffOp('C0a1b2c3d'))).toBeNull();
    for (const node of ['HS1', 'ES1', 'MGR_S1', 'TECH_S1', 'S2_T01', 'T01'])
      expect(opRefusal(staffOp(node)), node).toMatchObject({ code: 'AUTHOR_FORBIDDEN' });
    expect(opRefusal(staffOp('S1_T01', 'chain'))).toMatchObject({ code: 'SCOPE_FORBIDDEN' });
    expect(opRefusal(staffOp('S1_T01', 'store:S1', 'pinPlain'))).toMatchObject({ code: 'SCOPE_FORBIDDEN' });
  });

  it('only a till credential pushes its own staff ops; relayed by another till they are left out, by the hub to the cloud kept', () => {
    const till = { deviceId: 'T01', role: 'terminal', storeId: 'S1' };
    expect(admitPushedOp(staffOp('S1_T01'), till, 'hub')).toEqual({ ok: true });
    // A hub enrolled under a till-shaped id is still not a till.
    expect(admitPushedOp(staffOp('S1_T09'), { deviceId: 'S1_T09', role: 'hub', storeId: 'S1' }, 'cloud')).toMatchObject(
      { ok: false, skip: false, refusal: { code: 'AUTHOR_FORBIDDEN' } },
    );
    expect(admitPushedOp(staffOp('S1_T02'), till, 'hub')).toMatchObject({ ok: false, skip: true });
    expect(admitPushedOp(staffOp('S1_T02'), { deviceId: 'HS1', role: 'hub', storeId: 'S1' }, 'cloud')).toEqual({
      ok: true,
    });
  });
});

describe('purchase orders (set purchase_order)', () => {
  const order = {
    forDay: '2026-12-06',
    createdAt: '2026-12-05T08:00:00.000Z',
    staff: 'hq',
    origin: 'hq',
    supplier: null,
    lines: [{ sku: '100001', quantity: 10 }],
  };
  const poOp = (node: string, field = 'order', scope = 'store:S1', value: unknown = order) =>
    by(node).set(scope, 'purchase_order', 'po-1', field, value);

  it('the order and its status: a till of the store or HQ; not its hub, edge agent, manager device, nor another store', () => {
    expect(opRefusal(poOp('S1_T01'))).toBeNull();
    expect(opRefusal(poOp('C0a1b2c3d'))).toBeNull();
    expect(opRefusal(poOp('C0a1b2c3d', 'status', 'store:S1', 'cancelled'))).toBeNull();
    for (const node of ['HS1', 'ES1', 'MGR_S1', 'TECH_S1', 'S2_T01'])
      expect(opRefusal(poOp(node)), node).toMatchObject({ code: 'AUTHOR_FORBIDDEN' });
    expect(opRefusal(poOp('S1_T01', 'order', 'chain'))).toMatchObject({ code: 'SCOPE_FORBIDDEN' });
    expect(opRefusal(poOp('S1_T01', 'total'))).toMatchObject({ code: 'SCOPE_FORBIDDEN' });
  });

  it('what a till received: only that till writes its own received:<till>, not another till, nor HQ', () => {
    expect(opRefusal(poOp('S1_T02', 'received:T02', 'store:S1', { '100001': 4 }))).toBeNull();
    expect(opRefusal(poOp('S1_T02_bf', 'received:T02', 'store:S1', { '100001': 4 }))).toBeNull();
    for (const node of ['S1_T01', 'C0a1b2c3d', 'HS1', 'MGR_S1', 'S2_T02'])
      expect(opRefusal(poOp(node, 'received:T02', 'store:S1', { '100001': 0 })), node).toMatchObject({
        code: 'AUTHOR_FORBIDDEN',
      });
  });

  it('only a till credential pushes its own order ops; relayed by another till they are left out', () => {
    const till = { deviceId: 'T01', role: 'terminal', storeId: 'S1' };
    expect(admitPushedOp(poOp('S1_T01'), till, 'hub')).toEqual({ ok: true });
    expect(admitPushedOp(poOp('S1_T09'), { deviceId: 'S1_T09', role: 'hub', storeId: 'S1' }, 'cloud')).toMatchObject({
      ok: false,
      refusal: { code: 'AUTHOR_FORBIDDEN' },
    });
    expect(admitPushedOp(poOp('S1_T02', 'received:T02', 'store:S1', { '100001': 1 }), till, 'hub')).toMatchObject({
      ok: false,
      skip: true,
    });
  });
});

describe('entity in scope', () => {
  it("stock of one store cannot be written in another store's scope", () => {
    expect(opRefusal({ ...by('T01').move('S2', 'p1', 'receive', 500), s: 'store:S1' })?.code).toBe('SCOPE_FORBIDDEN');
    expect(opRefusal({ ...by('T01').move('S1', 'p1', 'receive', 500), s: 'chain' })?.code).toBe('SCOPE_FORBIDDEN');
    expect(opRefusal(by('C0a1b2c3d').fact('store:S1', 'online_order', 'o1', { storeId: 'S2' }))?.code).toBe(
      'SCOPE_FORBIDDEN',
    );
    expect(opRefusal(by('T01').fact('chain', 'sale', 's1', {}))?.code).toBe('SCOPE_FORBIDDEN');
  });

  it('never throws, whatever the op', () => {
    const node = fc.constantFrom('T01', 'C0a1b2c3d', 'MGR_S1', 'TECH_S1', 'HQ_x', 'T01_bf', '_bf');
    const scope = fc.constantFrom('chain', 'store:S1', 'store:S2');
    fc.assert(
      fc.property(
        node,
        scope,
        fc.string({ maxLength: 8 }),
        fc.constantFrom('product', 'price', 'promotion', 'config', 'member', 'staff') as fc.Arbitrary<'product'>,
        (n, s, k, e) => {
          const op = by(n).set(s, e, k || 'k', 'f', 1);
          const r = opRefusal(op);
          return r === null || typeof r.reason === 'string';
        },
      ),
    );
  });
});

describe('what a hub or the cloud does with a pushed op', () => {
  const terminal = { deviceId: 'T01', role: 'terminal', storeId: 'S1' };
  const hubOfS1 = { deviceId: 'HS1', role: 'hub', storeId: 'S1' };
  const markdown = by('MGR_S1').set('store:S1', 'price', 'p1', 'price', 1);

  it('accepts a device writing what its role may write, under its own node', () => {
    expect(admitPushedOp(by('T01').move('S1', 'p1', 'sale', 1), terminal, 'hub')).toEqual({ ok: true });
    expect(admitPushedOp(by('T01').set('store:S1', 'config', 'S1/T01', 'lang', 'en'), terminal, 'hub')).toEqual({
      ok: true,
    });
    expect(admitPushedOp(markdown, { deviceId: 'MGR_S1', role: 'manager', storeId: 'S1' }, 'hub')).toEqual({
      ok: true,
    });
  });

  it('refuses a privileged namespace under a credential of another role', () => {
    const a = admitPushedOp(markdown, { deviceId: 'MGR_S1', role: 'terminal', storeId: 'S1' }, 'cloud');
    expect(a).toMatchObject({ ok: false, skip: false, refusal: { code: 'AUTHOR_FORBIDDEN' } });
  });

  it("leaves out privileged ops and other tills' config relayed by a till; keeps relayed sales", () => {
    expect(admitPushedOp(markdown, terminal, 'hub')).toMatchObject({ ok: false, skip: true });
    expect(admitPushedOp(by('C0a1b2c3d').set('chain', 'product', 'p1', 'price', 1), terminal, 'cloud')).toMatchObject({
      ok: false,
      skip: true,
    });
    expect(admitPushedOp(by('T02').set('store:S1', 'config', 'S1/T02', 'lang', 'en'), terminal, 'hub')).toMatchObject({
      ok: false,
      skip: true,
    });
    expect(admitPushedOp(by('T02').fact('store:S1', 'sale', 's9', {}), terminal, 'hub')).toEqual({ ok: true });
  });

  it("the cloud trusts a store's hub to relay that store's manager and till ops, never HQ's", () => {
    expect(admitPushedOp(markdown, hubOfS1, 'cloud')).toEqual({ ok: true });
    expect(admitPushedOp(markdown, { ...hubOfS1, storeId: 'S2' }, 'cloud')).toMatchObject({ ok: false, skip: true });
    expect(
      admitPushedOp(by('C0a1b2c3d').fact('store:S1', 'device_revoked', 'T01.x', {}), hubOfS1, 'cloud'),
    ).toMatchObject({ ok: false, skip: true });
    expect(admitPushedOp(markdown, hubOfS1, 'hub')).toMatchObject({ ok: false, skip: true });
  });

  it('refuses an op that breaks the table even from its own author', () => {
    expect(admitPushedOp(by('T01').set('store:S1', 'product', 'p1', 'price', 1), terminal, 'cloud')).toMatchObject({
      ok: false,
      skip: false,
      refusal: { code: 'SCOPE_FORBIDDEN' },
    });
    expect(
      admitPushedOp(by('T01').fact('store:S1', 'device_revoked', 'T01', { at: '2001-01-01' }), terminal, 'hub'),
    ).toMatchObject({ ok: false, skip: false, refusal: { code: 'AUTHOR_FORBIDDEN' } });
  });
});

// Op ids end in the node id, so two tills with one node id can mint the same op id in the same
// millisecond and counter; the cloud keeps the first and drops the other as a duplicate. Every
// store's first till is `T01`: the node must carry the store.
describe('till node ids are unique across the chain', () => {
  // Short plain ids (the readable form, incl. near misses like `S1` + `1T01` vs `S11` + `T01`) and any id.
  const id = fc.oneof(
    fc.stringMatching(/^[ST1_]{1,4}$/),
    fc.stringMatching(/^[A-Za-z0-9]{1,11}$/),
    fc.stringMatching(/^[A-Za-z0-9_-]{1,32}$/),
  );
  const pair = fc.record({ store: id, terminal: id });

  it('different (store, terminal) pairs never share a node id, and every node id and its backfill node fit the stamp', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(pair, { minLength: 2, maxLength: 60, selector: (p) => `${p.store}\u0000${p.terminal}` }),
        (pairs) => {
          const nodes = pairs.map((p) => tillNodeId(p.store, p.terminal));
          expect(new Set(nodes).size).toBe(pairs.length);
          for (const n of nodes) {
            expect(n).toMatch(NODE_ID_PATTERN);
            expect(`${n}_bf`).toMatch(NODE_ID_PATTERN);
            expect(deviceOfNode(`${n}_bf`)).toBe(n);
            expect(deviceOfNode(n)).toBe(n);
            expect(authorRoleOfNode(n)).toBe('store'); // never HQ_, MGR_, TECH_ or a cloud node
          }
        },
      ),
      { numRuns: 500 },
    );
    // The ids that hit the edges of the readable form: underscores, separators, privileged
    // prefixes, `bf`, lengths.
    const edge = [
      ['S1', 'T01'],
      ['S2', 'T01'],
      ['S_1', 'T01'],
      ['S', '1_T01'],
      ['S1_T01', ''],
      ['HQ', 'T01'],
      ['MGR', 'x'],
      ['TECH', '1'],
      ['S1', 'bf'],
      ['S1', 'T01_bf'],
      ['S-1', 'T01'],
      ['S1', 'T-01'],
      ['S1234567890', 'T123456789'],
      ['S1234567890', 'T1234567890'],
      ['C0a1b2c3', 'd'],
    ];
    const nodes = edge.map(([s, t]) => tillNodeId(s!, t!));
    expect(new Set(nodes).size).toBe(edge.length);
    for (const n of nodes) {
      expect(n).toMatch(NODE_ID_PATTERN);
      expect(authorRoleOfNode(n)).toBe('store');
    }
  });

  it('is readable where it can be and stable', () => {
    expect(tillNodeId('S001', 'T01')).toBe('S001_T01');
    expect(tillNodeId('S002', 'T01')).toBe('S002_T01');
    expect(tillNodeId('SH-001', 'T01')).toMatch(/^N[a-z2-7]{20}$/);
    expect(tillNodeId('SH-001', 'T01')).toBe(tillNodeId('SH-001', 'T01'));
    expect(nodeOfDevice({ deviceId: 'T01', role: 'terminal', storeId: 'S001' })).toBe('S001_T01');
    expect(nodeOfDevice({ deviceId: 'HS001', role: 'hub', storeId: 'S001' })).toBe('HS001');
  });

  const till = { deviceId: 'T01', role: 'terminal', storeId: 'S1' };
  it("a till's own ops: its node, its backfill node, and ops it stamped with its bare id before the upgrade", () => {
    for (const node of ['S1_T01', 'S1_T01_bf', 'T01', 'T01_bf']) {
      expect(admitPushedOp(by(node).set('store:S1', 'config', 'S1/T01', 'lang', 'en'), till, 'cloud'), node).toEqual({
        ok: true,
      });
    }
    // Another store's T01 is another till: its own config is not this till's.
    expect(admitPushedOp(by('S2_T01').set('store:S1', 'config', 'S1/T01', 'lang', 'en'), till, 'cloud')).toMatchObject({
      ok: false,
      skip: true,
    });
    expect(opRefusal(by('S2_T01').set('store:S1', 'config', 'S1/T01', 'lang', 'en'))?.code).toBe('AUTHOR_FORBIDDEN');
  });

  it('a device enrolled under an id shaped like a till node cannot pass as that till', () => {
    const rogue = { deviceId: 'S1_T01', role: 'terminal', storeId: 'S1' };
    expect(admitPushedOp(by('S1_T01').set('store:S1', 'config', 'S1/T01', 'lang', 'en'), rogue, 'hub')).toMatchObject({
      ok: false,
      skip: true,
    });
    const hashed = tillNodeId('S1', 'T-9');
    expect(
      admitPushedOp(
        by(hashed).set('store:S1', 'config', 'S1/T-9', 'lang', 'en'),
        { ...rogue, deviceId: hashed },
        'hub',
      ),
    ).toMatchObject({ ok: false, skip: true });
    expect(
      admitPushedOp(by(hashed).set('store:S1', 'config', 'S1/T-9', 'lang', 'en'), { ...rogue, deviceId: 'T-9' }, 'hub'),
    ).toEqual({ ok: true });
  });
});

describe('admitPushedOps (a whole batch, as the sync server checks it)', () => {
  const nodes = ['S1_T01', 'T01', 'S2_T01', 'HS1', 'C0a1b2c3d', 'HQ_console', 'MGR_S1', 'TECH_S1', 'S1_T02_bf'];
  const pushers = [
    { deviceId: 'T01', role: 'terminal', storeId: 'S1' },
    { deviceId: 'HS1', role: 'hub', storeId: 'S1' },
    { deviceId: 'MGR_S1', role: 'manager', storeId: 'S1' },
    { deviceId: 'HQ_console', role: 'hq', storeId: 'HQ' },
  ];
  const makers: ((f: OpFactory) => Op)[] = [
    (f) => f.move('S1', 'p1', 'sale', 1, 'x'),
    (f) => f.move('S2', 'p1', 'sale', 1, 'x'),
    (f) => f.move('S1', 'p1', 'reservation', 2, 'o1'),
    (f) => f.fact('store:S1', 'sale', 's1', { total: 1 }),
    (f) => f.fact('chain', 'sale', 's2', { total: 1 }),
    (f) => f.fact('store:S1', 'device_revoked', 'T9.x', { deviceId: 'T9' }),
    (f) => f.fact('store:S1', 'online_order', 'o1', { storeId: 'S2' }),
    (f) => f.fact('store:S1', 'order_event', 'o1.1', { orderId: 'o1', kind: 'cancelled' }),
    (f) => f.fact('store:S1', 'order_event', 'o1.2', { orderId: 'o1', kind: 'picked' }),
    (f) => f.fact('store:S1', 'coupon', 'c1', { storeId: 'S1' }),
    (f) => f.set('store:S1', 'config', 'S1/T01', 'lang', 'en'),
    (f) => f.set('store:S1', 'promotion', 'md-1', 'rule', {}),
    (f) => f.set('chain', 'product', 'p1', 'name', 'x'),
  ];

  it('gives what admitPushedOp gives op by op: the same ops in, the same skips, the first refusal', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(nodes.length - 1), fc.nat(makers.length - 1)), { maxLength: 30 }),
        fc.nat(pushers.length - 1),
        fc.constantFrom('cloud' as const, 'hub' as const),
        (spec, p, receiver) => {
          const ops = spec.map(([n, m]) => makers[m]!(by(nodes[n]!)));
          const pusher = pushers[p]!;
          const want = (() => {
            const admitted: Op[] = [];
            let skipped = 0;
            for (let i = 0; i < ops.length; i++) {
              const a = admitPushedOp(ops[i]!, pusher, receiver);
              if (a.ok) admitted.push(ops[i]!);
              else if (a.skip) skipped++;
              else return { ok: false, index: i, refusal: a.refusal, skipped };
            }
            return { ok: true, admitted, skipped };
          })();
          expect(admitPushedOps(ops, pusher, receiver)).toEqual(want);
        },
      ),
      { numRuns: 300 },
    );
  });
});
