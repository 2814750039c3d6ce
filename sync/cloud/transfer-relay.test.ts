// The cloud's transfer relay: a step written by the store that may take it is copied into the
// other store's scope as a cloud fact; a step written by the wrong store, a cloud copy (no echo)
// or a fact in a scope that names neither store is not relayed (and the last is refused).
import { describe, expect, it } from 'vitest';
import { HybridClock, OpFactory, opRefusal, type Op } from '../core';
import { transferRelayOps } from './transfer-relay';

const by = (node: string) => new OpFactory(new HybridClock({ nodeId: node, now: () => 1_764_000_000_000 }));
const cloud = by('C0123abcd');
const body = (status: string) => ({
  id: 'TR-1',
  fromStore: 'S001',
  toStore: 'S002',
  sku: '6901',
  quantity: 6,
  status,
  requestedAt: '2026-12-05T10:00:00.000Z',
  shippedQuantity: status === 'requested' ? null : 6,
  shippedAt: status === 'requested' ? null : '2026-12-05T10:05:00.000Z',
  receivedQuantity: status === 'received' ? 5 : null,
  receivedAt: status === 'received' ? '2026-12-05T11:00:00.000Z' : null,
  variance: status === 'received' ? -1 : null,
});
const step = (node: string, scope: string, status: string): Op =>
  by(node).fact(scope, 'transfer', `TR-1:${status}`, body(status));

describe('transfer relay', () => {
  it("copies each store's own step into the other store's scope", () => {
    const out = transferRelayOps(
      [
        step('S002_T01', 'store:S002', 'requested'),
        step('S001_T01', 'store:S001', 'shipped'),
        step('S002_T01', 'store:S002', 'received'),
      ],
      cloud,
    );
    expect(out.map((o) => [o.s, o.k])).toEqual([
      ['store:S001', 'TR-1:requested'],
      ['store:S002', 'TR-1:shipped'],
      ['store:S001', 'TR-1:received'],
    ]);
    expect(out.every((o) => o.id.endsWith('C0123abcd') && o.e === 'transfer' && opRefusal(o) === null)).toBe(true);
    expect(out[1]!.b).toEqual(body('shipped'));
  });

  it('does not relay a step of the wrong store, nor its own copies', () => {
    const wrong = [
      step('S002_T01', 'store:S002', 'shipped'), // the receiver cannot ship
      step('S001_T01', 'store:S001', 'received'), // the sender cannot receive
      step('S001_T01', 'store:S001', 'requested'), // the sender does not request
      step('C0123abcd', 'store:S002', 'requested'), // a cloud copy: no echo
    ];
    expect(transferRelayOps(wrong, cloud)).toEqual([]);
  });

  it('refuses a transfer fact in the scope of a store it does not name', () => {
    expect(opRefusal(step('S003_T01', 'store:S003', 'requested'))).toMatchObject({ code: 'SCOPE_FORBIDDEN' });
    expect(opRefusal(step('S002_T01', 'store:S002', 'requested'))).toBeNull();
  });
});
