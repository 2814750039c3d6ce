// Shared contract suite: every SyncStorage adapter must pass these same tests (run by
// sqlite-storage.test.ts, pglite-storage.test.ts and postgres-storage.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HybridClock, OpFactory, ReplicaState, type Op } from '../core';
import type { SyncStorage } from './types';

export interface OpenedStorage {
  storage: SyncStorage;
  cleanup: () => Promise<void>;
}

function factory(node: string, start = 1_700_000_000_000) {
  let t = start;
  const clock = new HybridClock({ nodeId: node, now: () => t });
  return {
    f: new OpFactory(clock),
    advance: (ms: number) => {
      t += ms;
    },
  };
}

export function storageContract(name: string, open: () => Promise<OpenedStorage>): void {
  describe(`SyncStorage contract: ${name}`, () => {
    const opened: OpenedStorage[] = [];
    const fresh = async () => {
      const o = await open();
      opened.push(o);
      return o.storage;
    };
    afterAll(async () => {
      for (const o of opened) await o.cleanup();
    });

    let s: SyncStorage;
    beforeAll(async () => {
      s = await fresh();
    });

    it('applies idempotently by op id and keeps the digest stable on re-delivery', async () => {
      const { f } = factory('T1');
      const ops = [
        f.move('S1', 'x1', 'receive', 10),
        f.move('S1', 'x1', 'sale', 2),
        f.set('chain', 'product', 'x1', 'price', 500),
      ];
      const r1 = await s.apply(ops, 'hub');
      expect(r1).toMatchObject({ applied: 3, duplicates: 0 });
      const d1 = await s.digests(['store:S1', 'chain']);
      const r2 = await s.apply([...ops].reverse(), 'cloud');
      expect(r2).toMatchObject({ applied: 0, duplicates: 3 });
      expect(await s.digests(['store:S1', 'chain'])).toEqual(d1);
      expect((await s.stock('S1', 'x1')).onHand).toBe(8);
    });

    it('stores an op repeated inside one batch once', async () => {
      const { f } = factory('T6');
      const a = f.move('S1', 'rep', 'receive', 3);
      const b = f.move('S1', 'rep', 'sale', 1);
      const r = await s.apply([a, b, a], '');
      expect(r.applied).toBe(2);
      expect(r.duplicates).toBe(1);
      expect(r.appliedOps.map((o) => o.id)).toEqual([a.id, b.id]);
      const again = await s.apply([b, f.move('S1', 'rep', 'sale', 1)], '');
      expect(again).toMatchObject({ applied: 1, duplicates: 1 });
      expect((await s.stock('S1', 'rep')).onHand).toBe(1);
    });

    it('gives the same digest for the same ops in any order', async () => {
      const { f } = factory('T2');
      const ops = Array.from({ length: 30 }, (_, i) => f.move('S9', `d${i % 4}`, 'sale', i + 1));
      const a = await fresh();
      const b = await fresh();
      await a.apply(ops, '');
      await b.apply([...ops].reverse().slice(0, 10), 'x');
      expect(await b.digests(['store:S9'])).not.toEqual(await a.digests(['store:S9']));
      await b.apply([...ops].reverse(), 'y');
      expect(await b.digests(['store:S9'])).toEqual(await a.digests(['store:S9']));
      expect(await b.stockAll('S9')).toEqual(await a.stockAll('S9'));
    });

    it('is atomic: a batch that fails part-way stores nothing', async () => {
      const { f } = factory('T3');
      const good = f.move('S1', 'atom', 'receive', 5);
      const bad = { ...f.move('S1', 'atom', 'sale', 1), s: null } as unknown as Op;
      const before = await s.lastSeq();
      await expect(s.apply([good, bad], '')).rejects.toThrow();
      expect(await s.lastSeq()).toBe(before);
      expect((await s.stock('S1', 'atom')).onHand).toBe(0);
    });

    it('pages by cursor with scope and origin filters', async () => {
      const st = await fresh();
      const { f } = factory('T4');
      const mine = Array.from({ length: 25 }, (_, i) => f.move('S1', 'p', 'sale', i + 1));
      const other = Array.from({ length: 5 }, () => f.move('S2', 'p', 'sale', 1));
      const fromHub = Array.from({ length: 4 }, (_, i) => f.set('chain', 'product', 'p', 'price', i));
      await st.apply(mine, '');
      await st.apply(other, '');
      await st.apply(fromHub, 'hub');
      const seen: Op[] = [];
      let after = 0;
      for (;;) {
        const page = await st.readSince({ after, scopes: ['store:S1', 'chain'], limit: 10, excludeOrigin: 'hub' });
        seen.push(...page.ops);
        after = page.last;
        if (!page.more) break;
      }
      expect(seen.map((o) => o.id)).toEqual(mine.map((o) => o.id));
      expect(await st.countSince({ after: 0, scopes: ['store:S1', 'chain'], excludeOrigin: 'hub' })).toBe(25);
      expect(await st.countSince({ after: 0, scopes: ['chain'] })).toBe(4);
      await st.hold([mine[0]!.id]);
      expect(await st.heldCount()).toBe(1);
      expect((await st.readSince({ after: 0, scopes: ['store:S1'], limit: 100 })).ops).toHaveLength(24);
    });

    it('derives stock from the ledger: count resets what it saw, reservations apart, negative flagged', async () => {
      const { f, advance } = factory('T5');
      const ops = [f.move('S1', 'st', 'receive', 10), f.move('S1', 'st', 'sale', 4)];
      advance(1000);
      ops.push(f.move('S1', 'st', 'count', 5));
      advance(1000);
      ops.push(f.move('S1', 'st', 'sale', 7), f.move('S1', 'st', 'reservation', 3), f.move('S1', 'st', 'release', 1));
      await s.apply([...ops].reverse(), '');
      expect(await s.stock('S1', 'st')).toMatchObject({ onHand: -2, reserved: 2, available: -4, negative: true });
      expect((await s.stockAll('S1'))['st']?.onHand).toBe(-2);
    });

    it('keeps LWW fields and immutable facts', async () => {
      const a = factory('A');
      const b = factory('B');
      await s.apply(
        [
          a.f.set('chain', 'product', 'lw', 'price', 100),
          b.f.set('chain', 'product', 'lw', 'price', 200),
          a.f.set('chain', 'product', 'lw', 'name', '米'),
        ],
        '',
      );
      expect(await s.entity('product', 'lw')).toEqual({ name: '米', price: 200 });
      const first = a.f.fact('store:S1', 'sale', 'sale-lw', { total: 1 });
      const second = a.f.fact('store:S1', 'sale', 'sale-lw', { total: 2 });
      await s.apply([second, first], '');
      expect(await s.fact('sale', 'sale-lw')).toEqual({ total: 1 });
      expect(await s.factIds('sale', 'store:S1')).toContain('sale-lw');
      expect(await s.fact('sale', 'missing')).toBeNull();
    });

    it("reads a key range: latest footfall re-send and first fact write win, per entity, with each entity's newest key", async () => {
      const st = await fresh();
      const a = factory('E1');
      const b = factory('T7');
      const q = (h: number, m: number) =>
        `2026-11-28T${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00.000Z`;
      const early = a.f.footfall('S1', 'door1', q(2, 0), q(2, 15), 3, 1);
      a.advance(10);
      const grown = a.f.footfall('S1', 'door1', q(2, 0), q(2, 15), 5, 2);
      const ops: Op[] = [
        early,
        grown,
        a.f.footfall('S1', 'door1', q(2, 15), q(2, 30), 1, 0),
        a.f.footfall('S1', 'door2', q(2, 45), q(3, 0), 4, 4),
        a.f.footfall('S1', 'door1', q(9, 0), q(9, 15), 7, 7), // after the range: only in latest
        a.f.footfall('S1', 'door0', q(1, 45), q(2, 0), 2, 2), // before the range
        a.f.footfall('S2', 'door1', q(2, 30), q(2, 45), 9, 9), // another store
      ];
      const firstSale = b.f.fact('store:S1', 'sale', '019ac8f0-0000-7000-8000-000000000001', { total: 1 });
      ops.push(
        firstSale,
        b.f.fact('store:S1', 'sale', firstSale.k, { total: 2 }),
        b.f.fact('store:S1', 'sale', '019ac8f0-0000-7000-8000-000000000002', { total: 3 }),
        b.f.fact('store:S1', 'return', '019ac8f0-0000-7000-8000-000000000003', { total: 4 }),
        b.f.fact('store:S1', 'sale', '019ac900-0000-7000-8000-000000000000', { total: 5 }),
      );
      // Arrival order must not matter: the later re-send first, the facts' second write first.
      await st.apply([...ops].reverse(), '');
      const ff = await st.keyRange({ t: 'ff', scope: 'store:S1', fromKey: q(2, 0), toKey: q(3, 0) });
      expect(ff.ops.map((o) => [o.e, o.k, o.b])).toEqual([
        ['door1', q(2, 0), { end: q(2, 15), in: 5, out: 2 }],
        ['door1', q(2, 15), { end: q(2, 30), in: 1, out: 0 }],
        ['door2', q(2, 45), { end: q(3, 0), in: 4, out: 4 }],
      ]);
      expect(ff.latest.map((o) => [o.e, o.k])).toEqual([
        ['door0', q(1, 45)],
        ['door1', q(9, 0)],
        ['door2', q(2, 45)],
      ]);
      const ref = new ReplicaState();
      ref.applyAll(ops);
      for (const o of [...ff.ops, ...ff.latest]) expect(ref.view().footfall[`${o.e}/${o.k}`]).toEqual(o.b);
      const oneCam = await st.keyRange({ t: 'ff', scope: 'store:S1', e: 'door2', fromKey: '', toKey: '~' });
      expect(oneCam.ops).toHaveLength(1);
      const sales = await st.keyRange({
        t: 'fact',
        scope: 'store:S1',
        e: 'sale',
        fromKey: '019ac8f0',
        toKey: '019ac8f1',
      });
      expect(sales.ops.map((o) => o.b)).toEqual([{ total: 1 }, { total: 3 }]);
      expect(sales.latest.map((o) => o.b)).toEqual([{ total: 5 }]);
      expect(await st.keyRange({ t: 'ff', scope: 'store:S3', fromKey: '', toKey: '~' })).toEqual({
        ops: [],
        latest: [],
      });
    });

    it('members: One-ID merge, points ledger, tags, and erasure wiping stored PII', async () => {
      const st = await fresh();
      const a = factory('A');
      const b = factory('B');
      await st.apply(
        [
          a.f.set('store:S1', 'member', 'mA', 'name', '李四'),
          a.f.identity('store:S1', 'mA', 'phone', '13712345678'),
          b.f.identity('store:S1', 'mB', 'unionid', 'wx-union-9'),
          a.f.points('store:S1', 'mA', 30, 'sale'),
          b.f.points('store:S1', 'mB', 12, 'sale'),
          b.f.addTag('store:S1', 'mB', 'baker'),
        ],
        '',
      );
      await st.apply([b.f.mergeMembers('store:S1', 'mB', 'mA')], 'cloud');
      expect(await st.findMember('unionid', 'wx-union-9')).toBe('mA');
      expect(await st.member('mB')).toMatchObject({ id: 'mA', points: 42, tags: ['baker'], mergedFrom: ['mB'] });
      await st.apply([a.f.erase('store:S1', 'mA')], 'cloud');
      // A late edit from a replica that had not seen the erasure is wiped on arrival.
      await st.apply([b.f.set('store:S1', 'member', 'mB', 'phone', '13900001111')], 'hub');
      const v = await st.member('mA');
      expect(v).toMatchObject({ erased: true, profile: {}, identities: [], points: 42 });
      expect(await st.findMember('phone', '13712345678')).toBeNull();
      expect(JSON.stringify(await st.allOps())).not.toMatch(/李四|13712345678|wx-union-9|13900001111/);
    });

    it('stores metadata', async () => {
      expect(await s.getMeta('nope')).toBeNull();
      await s.setMeta('cursor.hub', '42');
      await s.setMeta('cursor.hub', '43');
      expect(await s.getMeta('cursor.hub')).toBe('43');
    });

    it('answers like the reference replica for random op mixes', async () => {
      const st = await fresh();
      const ref = new ReplicaState();
      const nodes = ['N1', 'N2', 'N3'].map((n) => factory(n));
      const plan = fc.sample(
        fc.array(fc.tuple(fc.nat(2), fc.nat(6), fc.nat(3), fc.integer({ min: 1, max: 9 })), {
          minLength: 200,
          maxLength: 200,
        }),
        { numRuns: 1, seed: 7 },
      )[0]!;
      const ops: Op[] = plan.map(([n, kind, pick, q]) => {
        const { f, advance } = nodes[n]!;
        advance(q * 10);
        const sku = `r${pick}`;
        switch (kind) {
          case 0:
            return f.move('S5', sku, 'sale', q);
          case 1:
            return f.move('S5', sku, 'count', q * 3);
          case 2:
            return f.move('S5', sku, 'reservation', q);
          case 3:
            return f.set('chain', 'product', sku, 'price', q);
          case 4:
            return f.points('store:S5', `m${pick}`, q, 'sale');
          case 5:
            return f.mergeMembers('store:S5', `m${pick}`, `m${(pick + 1) % 4}`);
          default:
            return f.fact('store:S5', 'sale', `f${pick}`, { q });
        }
      });
      ref.applyAll(ops);
      for (let i = 0; i < ops.length; i += 37) await st.apply(ops.slice(i, i + 37).reverse(), '');
      const view = ref.view();
      const stock = await st.stockAll('S5');
      for (const [key, level] of Object.entries(view.stock)) expect(stock[key.split('/')[1]!]).toEqual(level);
      for (let p = 0; p < 4; p++) {
        expect(await st.entity('product', `r${p}`)).toEqual(
          view.lww[`product/r${p}/price`] === undefined ? {} : { price: view.lww[`product/r${p}/price`] },
        );
        const m = await st.member(`m${p}`);
        expect(m).toEqual(view.members[m.id]);
      }
      expect(await st.digests(['store:S5', 'chain'])).toEqual({
        'store:S5': ref.digest('store:S5'),
        chain: ref.digest('chain'),
      });
    });
  });
}
