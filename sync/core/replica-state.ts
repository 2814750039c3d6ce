// In-memory replica: the reference implementation of every merge rule. Storage adapters keep the
// same ops in SQL and must answer the same questions the same way (the contract suite checks it);
// the property tests run many of these replicas against each other.
import type { Op } from './ops';
import { stockLevel, type StockLevel } from './stock';
import { memberView, scrubOp, canonicalMemberId, type MemberView } from './members';
import { addToDigest, emptyDigest, formatDigest, type Digest } from './digest';

export interface ReplicaView {
  lww: Record<string, unknown>;
  stock: Record<string, StockLevel>;
  facts: Record<string, unknown>;
  members: Record<string, MemberView>;
  footfall: Record<string, unknown>;
}

export class ReplicaState {
  readonly ops = new Map<string, Op>();
  private digests = new Map<string, Digest>();

  /** Idempotent: returns false when the op id was already held. */
  apply(op: Op): boolean {
    if (this.ops.has(op.id)) return false;
    this.ops.set(op.id, this.isErasedMemberOp(op) ? scrubOp(op) : op);
    // An erasure, or a merge that joins a member to an erased one, wipes what is already held.
    if (op.t === 'erase' || op.t === 'merge') {
      for (const erase of this.ops.values()) {
        if (erase.t !== 'erase') continue;
        for (const [id, o] of this.ops) if (this.belongsToErased(o, erase.e)) this.ops.set(id, scrubOp(o));
      }
    }
    this.digests.set(op.s, addToDigest(this.digests.get(op.s) ?? emptyDigest(), op.id));
    return true;
  }

  applyAll(ops: Iterable<Op>): number {
    let n = 0;
    for (const op of ops) if (this.apply(op)) n++;
    return n;
  }

  digest(scope: string): string {
    return formatDigest(this.digests.get(scope) ?? emptyDigest());
  }

  private memberOfOp(o: Op): string | null {
    if (o.t === 'set') return o.e === 'member' ? o.k : null;
    if (o.t === 'ident') return o.e;
    return null;
  }

  private belongsToErased(o: Op, erasedMember: string): boolean {
    const m = this.memberOfOp(o);
    return m !== null && (m === erasedMember || this.sameGroup(m, erasedMember));
  }

  private isErasedMemberOp(o: Op): boolean {
    const m = this.memberOfOp(o);
    if (m === null) return false;
    for (const e of this.ops.values()) if (e.t === 'erase' && (e.e === m || this.sameGroup(m, e.e))) return true;
    return false;
  }

  private sameGroup(a: string, b: string): boolean {
    const merges = [...this.ops.values()].filter((o) => o.t === 'merge');
    return merges.length > 0 && canonicalMemberId(merges, a) === canonicalMemberId(merges, b);
  }

  view(): ReplicaView {
    const lww = new Map<string, { id: string; v: unknown }>();
    const moves = new Map<string, { id: string; kind: Op['f']; qty: number }[]>();
    const facts = new Map<string, { id: string; b: unknown }>();
    const ff = new Map<string, { id: string; b: unknown }>();
    const memberIds = new Set<string>();
    const memberOps: Op[] = [];
    for (const o of this.ops.values()) {
      switch (o.t) {
        case 'set': {
          if (o.e === 'member') {
            memberOps.push(o);
            memberIds.add(o.k);
            break;
          }
          const key = `${o.e}/${o.k}/${o.f}`;
          const cur = lww.get(key);
          if (!cur || o.id > cur.id) lww.set(key, { id: o.id, v: o.b });
          break;
        }
        case 'mv': {
          const key = `${o.e}/${o.k}`;
          const list = moves.get(key) ?? [];
          list.push({ id: o.id, kind: o.f, qty: o.n ?? 0 });
          moves.set(key, list);
          break;
        }
        case 'fact': {
          // Immutable: the first write (lowest stamp) of a fact id is the fact.
          const key = `${o.e}/${o.k}`;
          const cur = facts.get(key);
          if (!cur || o.id < cur.id) facts.set(key, { id: o.id, b: o.b });
          break;
        }
        case 'ff': {
          const key = `${o.e}/${o.k}`;
          const cur = ff.get(key);
          if (!cur || o.id > cur.id) ff.set(key, { id: o.id, b: o.b });
          break;
        }
        default:
          memberOps.push(o);
          if (o.t === 'merge') {
            memberIds.add(o.e);
            memberIds.add(o.k);
          } else memberIds.add(o.e);
      }
    }
    const sortObj = <T>(m: Map<string, T>): Record<string, T> =>
      Object.fromEntries([...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
    const members = new Map<string, MemberView>();
    for (const id of memberIds) {
      const v = memberView(memberOps, id);
      members.set(v.id, v);
    }
    return {
      lww: sortObj(new Map([...lww].map(([k, v]) => [k, v.v]))),
      stock: sortObj(new Map([...moves].map(([k, list]) => [k, stockLevel(list as never)]))),
      facts: sortObj(new Map([...facts].map(([k, v]) => [k, v.b]))),
      members: sortObj(members),
      footfall: sortObj(new Map([...ff].map(([k, v]) => [k, v.b]))),
    };
  }
}
