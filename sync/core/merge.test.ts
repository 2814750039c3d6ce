import { describe, expect, it } from 'vitest';
import { HybridClock } from './hlc';
import { OpFactory } from './op-factory';
import { ReplicaState } from './replica-state';
import { stockLevel } from './stock';
import { validateOps, type Op } from './ops';

function replica(node: string, start = 1_700_000_000_000) {
  let t = start;
  const clock = new HybridClock({ nodeId: node, now: () => t });
  return {
    f: new OpFactory(clock),
    advance: (ms: number) => {
      t += ms;
    },
    state: new ReplicaState(),
    clock,
  };
}

describe('merge rules', () => {
  it('LWW per field: later stamp wins, node id breaks ties, fields are independent', () => {
    const a = replica('A');
    const b = replica('B');
    const o1 = a.f.set('chain', 'product', 'p1', 'price', 990);
    const o2 = b.f.set('chain', 'product', 'p1', 'price', 1090); // same wall, counter -> node B wins
    const o3 = a.f.set('chain', 'product', 'p1', 'name', '苹果');
    for (const s of [a.state, b.state]) s.applyAll(s === a.state ? [o1, o2, o3] : [o3, o2, o1]);
    expect(a.state.view()).toEqual(b.state.view());
    expect(a.state.view().lww['product/p1/price']).toBe(1090);
    expect(a.state.view().lww['product/p1/name']).toBe('苹果');
  });

  it('stock: concurrent sales both count; a count resets only what it saw', () => {
    const a = replica('A');
    const b = replica('B');
    const receive = a.f.move('S1', 'sku1', 'receive', 10);
    const saleA = a.f.move('S1', 'sku1', 'sale', 2);
    const saleB = b.f.move('S1', 'sku1', 'sale', 3);
    let level = stockLevel([receive, saleA, saleB].map((o) => ({ id: o.id, kind: o.f as never, qty: o.n ?? 0 })));
    expect(level.onHand).toBe(5);
    a.advance(1000);
    const count = a.f.move('S1', 'sku1', 'count', 4);
    b.advance(2000);
    const after = b.f.move('S1', 'sku1', 'sale', 1);
    const reserve = b.f.move('S1', 'sku1', 'reservation', 2);
    const moves = [after, count, saleB, receive, saleA, reserve].map((o) => ({
      id: o.id,
      kind: o.f as never,
      qty: o.n ?? 0,
    }));
    level = stockLevel(moves);
    expect(level).toMatchObject({ onHand: 3, reserved: 2, available: 1, negative: false });
    expect(stockLevel([{ id: saleA.id, kind: 'sale', qty: -2 }]).negative).toBe(true);
  });

  it('facts are immutable: a duplicate id keeps the first write', () => {
    const a = replica('A');
    const f1 = a.f.fact('store:S1', 'sale', 'sale-1', { total: 100 });
    const f2 = a.f.fact('store:S1', 'sale', 'sale-1', { total: 999 });
    const s = new ReplicaState();
    s.applyAll([f2, f1, f1]);
    expect(s.view().facts['sale/sale-1']).toEqual({ total: 100 });
  });

  it('members: One-ID merge, points ledger, add-wins tags, erasure tombstone wins and wipes PII', () => {
    const a = replica('A');
    const b = replica('B');
    const ops: Op[] = [
      a.f.set('store:S1', 'member', 'm1', 'name', '张三'),
      a.f.identity('store:S1', 'm1', 'phone', '13800000000'),
      b.f.identity('store:S1', 'm2', 'unionid', 'wx-u-1'),
      a.f.points('store:S1', 'm1', 100, 'sale', 's1'),
      b.f.points('store:S1', 'm2', 50, 'sale', 's2'),
      b.f.points('store:S1', 'm2', -20, 'redeem', 's3'),
    ];
    const tagAdd = a.f.addTag('store:S1', 'm1', 'vip');
    const tagAddB = b.f.addTag('store:S1', 'm1', 'vip'); // concurrent add
    const tagRm = a.f.removeTag('store:S1', 'm1', 'vip', [tagAdd.id]); // saw only A's add
    const merge = b.f.mergeMembers('store:S1', 'm2', 'm1');
    const s = new ReplicaState();
    s.applyAll([...ops, tagAdd, tagRm, tagAddB, merge]);
    const v = s.view().members['m1'];
    expect(v?.mergedFrom).toEqual(['m2']);
    expect(v?.points).toBe(130);
    expect(v?.tags).toEqual(['vip']);
    expect(v?.identities.map((i) => i.type)).toEqual(['phone', 'unionid']);

    // Erasure concurrent with a profile edit: erasure wins, PII gone from stored ops too.
    const erase = a.f.erase('store:S1', 'm1');
    const edit = b.f.set('store:S1', 'member', 'm2', 'phone', '13900000000');
    const s2 = new ReplicaState();
    s2.applyAll([edit, erase, ...ops, merge]);
    const v2 = s2.view().members['m1'];
    expect(v2?.erased).toBe(true);
    expect(v2?.profile).toEqual({});
    expect(v2?.identities).toEqual([]);
    expect(v2?.points).toBe(130);
    expect(JSON.stringify([...s2.ops.values()])).not.toMatch(/张三|13800000000|13900000000|wx-u-1/);
  });

  it('concurrent opposite merges resolve to one member', () => {
    const a = replica('A');
    const b = replica('B');
    const s = new ReplicaState();
    s.applyAll([
      a.f.mergeMembers('chain', 'x', 'y'),
      b.f.mergeMembers('chain', 'y', 'x'),
      a.f.points('chain', 'x', 5, 'sale'),
      b.f.points('chain', 'y', 7, 'sale'),
    ]);
    const members = s.view().members;
    expect(Object.keys(members)).toEqual(['x']);
    expect(members['x']?.points).toBe(12);
  });

  it('refuses a malformed op with its index', () => {
    const a = replica('A');
    const good = a.f.move('S1', 'sku', 'sale', 1);
    expect(() => validateOps([good, { ...good, n: 1.5 }])).toThrow(/op 1/);
    expect(() => validateOps([{ ...good, s: 'elsewhere' }])).toThrow(/op 0/);
    expect(validateOps([good])).toHaveLength(1);
  });
});
