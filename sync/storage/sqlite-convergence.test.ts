// Property: five SQLite replicas (the real adapter) exchanging pages of ops from random cursors
// (so pages overlap, repeat and arrive out of order, and some are lost and sent again later)
// end with identical digests, stock, catalog fields and member views.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HybridClock, OpFactory, type Op } from '../core';
import { SqliteSyncStorage } from './sqlite-storage';

const N = 5;

describe('SQLite replicas converge (fast-check)', () => {
  it('under overlapping, repeated, reordered and lost-then-resent pages', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.record({
              kind: fc.constant('op' as const),
              at: fc.nat(N - 1),
              op: fc.nat(5),
              pick: fc.nat(50),
              qty: fc.integer({ min: 1, max: 9 }),
            }),
            fc.record({
              kind: fc.constant('page' as const),
              from: fc.nat(N - 1),
              to: fc.nat(N - 1),
              after: fc.nat(40),
              limit: fc.integer({ min: 1, max: 15 }),
              reverse: fc.boolean(),
              lose: fc.boolean(),
            }),
          ),
          { minLength: 10, maxLength: 80 },
        ),
        async (plan) => {
          const dbs = Array.from({ length: N }, () => new Database(':memory:'));
          const stores = dbs.map((db) => new SqliteSyncStorage(db));
          let t = 1_700_000_000_000;
          const makers = Array.from(
            { length: N },
            (_, i) => new OpFactory(new HybridClock({ nodeId: `R${i}`, now: () => t })),
          );
          const lost: { to: number; ops: Op[] }[] = [];
          for (const a of plan) {
            if (a.kind === 'op') {
              t += a.qty * 100;
              const f = makers[a.at]!;
              const sku = `s${a.pick % 3}`;
              const op = [
                () => f.move('S1', sku, 'sale', a.qty),
                () => f.move('S1', sku, 'count', a.qty * 5),
                () => f.set('chain', 'product', sku, 'price', a.qty),
                () => f.points('store:S1', `m${a.pick % 2}`, a.qty, 'sale'),
                () => f.mergeMembers('store:S1', `m${a.pick % 3}`, `m${(a.pick + 1) % 3}`),
                () => f.fact('store:S1', 'sale', `sale-${a.pick % 5}`, { q: a.qty }),
              ][a.op]!();
              await stores[a.at]!.apply([op], '');
            } else {
              const page = await stores[a.from]!.readSince({
                after: a.after,
                scopes: ['chain', 'store:S1'],
                limit: a.limit,
              });
              const ops = a.reverse ? [...page.ops].reverse() : page.ops;
              if (a.lose) lost.push({ to: a.to, ops });
              else await stores[a.to]!.apply(ops, `R${a.from}`);
            }
          }
          for (const l of lost.reverse()) await stores[l.to]!.apply(l.ops, 'late');
          for (let i = 0; i < N; i++) {
            const all = (await stores[i]!.readSince({ after: 0, scopes: ['chain', 'store:S1'], limit: 10_000 })).ops;
            for (let j = 0; j < N; j++) if (i !== j) await stores[j]!.apply(all, `R${i}`);
          }
          const snapshot = async (s: SqliteSyncStorage) =>
            JSON.stringify({
              d: await s.digests(['chain', 'store:S1']),
              stock: await s.stockAll('S1'),
              p: await Promise.all(['s0', 's1', 's2'].map((k) => s.entity('product', k))),
              m: await Promise.all(['m0', 'm1', 'm2'].map((k) => s.member(k))),
              f: await Promise.all([0, 1, 2, 3, 4].map((k) => s.fact('sale', `sale-${k}`))),
            });
          const first = await snapshot(stores[0]!);
          for (const s of stores.slice(1)) expect(await snapshot(s)).toBe(first);
          for (const db of dbs) db.close();
        },
      ),
      { numRuns: 40 },
    );
  });
});
