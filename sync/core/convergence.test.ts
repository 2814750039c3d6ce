// Property: five replicas making random ops and exchanging them over random topologies with
// duplicated, reordered and dropped-then-retried messages all end identical; stock equals the
// sum of movements after the latest count; points equal the ledger.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HybridClock } from './hlc';
import { OpFactory } from './op-factory';
import { ReplicaState } from './replica-state';
import type { Op } from './ops';
import { canonicalMemberId } from './members';

const N = 5;
const SKUS = ['a', 'b', 'c'];
const MEMBERS = ['m1', 'm2', 'm3', 'm4'];

type Action =
  | { kind: 'local'; at: number; op: number; pick: number; qty: number; tick: number }
  | { kind: 'send'; from: number; to: number; take: number; dup: boolean; reverse: boolean; drop: boolean };

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({
    kind: fc.constant('local' as const),
    at: fc.nat(N - 1),
    op: fc.nat(11),
    pick: fc.nat(100),
    qty: fc.integer({ min: 1, max: 20 }),
    tick: fc.nat(5000),
  }),
  fc.record({
    kind: fc.constant('send' as const),
    from: fc.nat(N - 1),
    to: fc.nat(N - 1),
    take: fc.nat(1000),
    dup: fc.boolean(),
    reverse: fc.boolean(),
    drop: fc.boolean(),
  }),
);

function makeOp(f: OpFactory, state: ReplicaState, a: Extract<Action, { kind: 'local' }>): Op {
  const sku = SKUS[a.pick % SKUS.length]!;
  const m = MEMBERS[a.pick % MEMBERS.length]!;
  const m2 = MEMBERS[(a.pick + 1) % MEMBERS.length]!;
  switch (a.op) {
    case 0:
      return f.move('S1', sku, 'sale', a.qty);
    case 1:
      return f.move('S1', sku, 'receive', a.qty);
    case 2:
      return f.move('S1', sku, 'count', a.qty);
    case 3:
      return f.move('S1', sku, a.pick % 2 ? 'reservation' : 'release', a.qty);
    case 4:
      return f.set('chain', 'product', sku, a.pick % 2 ? 'price' : 'name', a.qty * 10);
    case 5:
      return f.fact('store:S1', 'sale', `sale-${a.pick % 7}`, { total: a.qty });
    case 6:
      return f.points('store:S1', m, a.qty, 'sale');
    case 7:
      return f.addTag('store:S1', m, `t${a.qty % 2}`);
    case 8: {
      const tag = `t${a.qty % 2}`;
      const seen = [...state.ops.values()]
        .filter((o) => o.t === 'tag' && o.f === 'add' && o.e === m && o.k === tag)
        .map((o) => o.id);
      return f.removeTag('store:S1', m, tag, seen);
    }
    case 9:
      return f.set('store:S1', 'member', m, 'name', `n${a.qty}`);
    case 10:
      return a.pick % 5 === 0 ? f.erase('store:S1', m) : f.identity('store:S1', m, 'phone', `1380000${a.qty}`);
    default:
      return a.pick % 3 === 0 ? f.mergeMembers('store:S1', m, m2) : f.move('S1', sku, 'adjust', a.qty - 10);
  }
}

describe('convergence (fast-check)', () => {
  it('five replicas converge under duplicated, reordered and dropped messages', () => {
    fc.assert(
      fc.property(
        fc.array(action, { minLength: 20, maxLength: 120 }),
        fc.array(fc.nat(N - 1), { minLength: N, maxLength: N * 3 }),
        (actions, healOrder) => {
          const times = Array.from({ length: N }, (_, i) => 1_700_000_000_000 + i * 777);
          const replicas = times.map((_, i) => {
            const clock = new HybridClock({ nodeId: `R${i}`, now: () => times[i]! });
            return { clock, f: new OpFactory(clock), state: new ReplicaState() };
          });
          const everything = new Map<string, Op>();
          const dropped: { to: number; ops: Op[] }[] = [];
          const deliver = (to: number, ops: Op[]) => {
            const r = replicas[to]!;
            for (const op of ops) {
              r.clock.receive(op.id);
              r.state.apply(op);
            }
          };
          for (const a of actions) {
            if (a.kind === 'local') {
              times[a.at]! += a.tick;
              const r = replicas[a.at]!;
              const op = makeOp(r.f, r.state, a);
              everything.set(op.id, op);
              r.state.apply(op);
            } else {
              const held = [...replicas[a.from]!.state.ops.values()];
              let batch = held.slice(a.take % (held.length + 1));
              if (a.reverse) batch = batch.reverse();
              if (a.dup) batch = [...batch, ...batch.slice(0, 3)];
              if (a.drop) dropped.push({ to: a.to, ops: batch });
              else deliver(a.to, batch);
            }
          }
          // Retries of dropped messages arrive late, then anti-entropy in a random order until all hold everything.
          for (const d of dropped.reverse()) deliver(d.to, d.ops);
          for (let round = 0; round < 2; round++) {
            for (const i of healOrder)
              for (let j = 0; j < N; j++) if (i !== j) deliver(j, [...replicas[i]!.state.ops.values()]);
            for (let i = 0; i < N; i++)
              for (let j = 0; j < N; j++) if (i !== j) deliver(j, [...replicas[i]!.state.ops.values()]);
          }
          const views = replicas.map((r) => JSON.stringify(r.state.view()));
          for (const v of views) expect(v).toBe(views[0]);
          for (const r of replicas) expect(r.state.digest('store:S1')).toBe(replicas[0]!.state.digest('store:S1'));
          const view = replicas[0]!.state.view();
          const all = [...everything.values()];
          // Stock equals the latest count plus every later non-reservation movement.
          for (const sku of SKUS) {
            const moves = all.filter((o) => o.t === 'mv' && o.k === sku);
            const count = moves.filter((o) => o.f === 'count').sort((x, y) => (x.id < y.id ? 1 : -1))[0];
            const expected =
              (count?.n ?? 0) +
              moves
                .filter(
                  (o) => o.f !== 'count' && o.f !== 'reservation' && o.f !== 'release' && (!count || o.id > count.id),
                )
                .reduce((s, o) => s + (o.n ?? 0), 0);
            if (moves.length) expect(view.stock[`S1/${sku}`]?.onHand).toBe(expected);
          }
          // Points equal the ledger summed per canonical member: no entry skipped or double counted.
          const merges = all.filter((o) => o.t === 'merge');
          const ledger = new Map<string, number>();
          for (const o of all)
            if (o.t === 'pts') {
              const root = canonicalMemberId(merges, o.e);
              ledger.set(root, (ledger.get(root) ?? 0) + (o.n ?? 0));
            }
          for (const [root, pts] of ledger) expect(view.members[root]?.points).toBe(pts);
        },
      ),
      { numRuns: 150 },
    );
  });
});
