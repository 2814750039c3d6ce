// Builds well-formed ops stamped by one replica's clock. Callers say what happened in shop
// words; this file knows how each kind maps onto the generic op row.
import type { HybridClock } from './hlc';
import type { FactKind, IDENTITY_TYPES, LWW_ENTITIES, MovementKind, Op } from './ops';
import { signedQuantity, storeScope } from './ops';

/** Where op ids come from: a replica's HybridClock, or precomputed stamps (see stampsForTimes). */
export type StampSource = Pick<HybridClock, 'tick'>;

export class OpFactory {
  constructor(private readonly clock: StampSource) {}

  /** LWW field write: catalog/prices/promotions/config (scope chain or a store), member profile or staff record. */
  set(scope: string, entity: (typeof LWW_ENTITIES)[number], key: string, field: string, value: unknown): Op {
    return { id: this.clock.tick(), s: scope, t: 'set', e: entity, k: key, f: field, n: null, b: value ?? null };
  }

  /**
   * Stock movement. Quantity is given positive; the kind decides the sign (adjust/count are as
   * given). `body` carries the movement's ledger fields (waste reason and cost, receiving cost,
   * staff; docs/back-office.md "Stock ledger bodies") beside its `ref`.
   */
  move(
    storeId: string,
    sku: string,
    kind: MovementKind,
    quantity: number,
    ref?: string,
    body?: Record<string, unknown>,
  ): Op {
    return {
      id: this.clock.tick(),
      s: storeScope(storeId),
      t: 'mv',
      e: storeId,
      k: sku,
      f: kind,
      n: signedQuantity(kind, quantity),
      b: ref || body ? { ...body, ...(ref ? { ref } : {}) } : null,
    };
  }

  fact(scope: string, kind: FactKind, id: string, body: Record<string, unknown>): Op {
    return { id: this.clock.tick(), s: scope, t: 'fact', e: kind, k: id, f: '', n: null, b: body };
  }

  identity(scope: string, memberId: string, type: (typeof IDENTITY_TYPES)[number], value: string): Op {
    return { id: this.clock.tick(), s: scope, t: 'ident', e: memberId, k: value, f: type, n: null, b: null };
  }

  mergeMembers(scope: string, from: string, into: string): Op {
    return { id: this.clock.tick(), s: scope, t: 'merge', e: from, k: into, f: '', n: null, b: null };
  }

  points(scope: string, memberId: string, delta: number, reason: string, ref = ''): Op {
    return { id: this.clock.tick(), s: scope, t: 'pts', e: memberId, k: ref, f: reason, n: delta, b: null };
  }

  addTag(scope: string, memberId: string, tag: string): Op {
    return { id: this.clock.tick(), s: scope, t: 'tag', e: memberId, k: tag, f: 'add', n: null, b: null };
  }

  /** Removes the tag adds this replica has seen; a concurrent add it has not seen survives. */
  removeTag(scope: string, memberId: string, tag: string, observedAddIds: string[]): Op {
    return { id: this.clock.tick(), s: scope, t: 'tag', e: memberId, k: tag, f: 'rm', n: null, b: observedAddIds };
  }

  erase(scope: string, memberId: string): Op {
    return { id: this.clock.tick(), s: scope, t: 'erase', e: memberId, k: '', f: '', n: null, b: null };
  }

  footfall(storeId: string, cameraId: string, start: string, end: string, inCount: number, outCount: number): Op {
    return {
      id: this.clock.tick(),
      s: storeScope(storeId),
      t: 'ff',
      e: cameraId,
      k: start,
      f: '',
      n: null,
      b: { end, in: inCount, out: outCount },
    };
  }
}
