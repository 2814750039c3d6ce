// Members (CDP): profile fields LWW, identities resolved to one member id with One-ID merges,
// points as a ledger, tags as an add-wins set, erasure as a tombstone that beats concurrent
// edits. Everything here is a pure fold over member ops in any order.
import type { Op } from './ops';
import { MEMBER_PII_FIELDS } from './ops';

export interface MemberView {
  id: string;
  /** Member ids merged into this one. */
  mergedFrom: string[];
  erased: boolean;
  profile: Record<string, unknown>;
  identities: { type: string; value: string }[];
  points: number;
  tags: string[];
}

/**
 * Canonical member id after One-ID merges. Each member's outgoing merge is the one with the
 * lowest op id (deterministic); a cycle from concurrent opposite merges resolves to the smallest
 * member id in the cycle.
 */
export function canonicalMemberId(merges: Iterable<Op>, memberId: string): string {
  const next = new Map<string, { id: string; into: string }>();
  for (const m of merges) {
    if (m.t !== 'merge' || m.e === m.k) continue;
    const cur = next.get(m.e);
    if (!cur || m.id < cur.id) next.set(m.e, { id: m.id, into: m.k });
  }
  const seen: string[] = [];
  let at = memberId;
  for (;;) {
    const step = next.get(at);
    if (!step) return at;
    seen.push(at);
    if (seen.includes(step.into)) {
      const cycle = seen.slice(seen.indexOf(step.into));
      return cycle.reduce((a, b) => (b < a ? b : a));
    }
    at = step.into;
  }
}

export function isPiiField(field: string): boolean {
  return (MEMBER_PII_FIELDS as readonly string[]).includes(field) || field.startsWith('pii.');
}

/** Fold every member op (any order) into the view of one canonical member. */
export function memberView(ops: Iterable<Op>, memberId: string): MemberView {
  const all = [...ops];
  const merges = all.filter((o) => o.t === 'merge');
  const root = canonicalMemberId(merges, memberId);
  const members = new Set<string>();
  for (const o of all) {
    if (o.t === 'merge') {
      members.add(o.e);
      members.add(o.k);
    } else if (o.t !== 'set' || o.e === 'member') members.add(o.t === 'set' ? o.k : o.e);
  }
  members.add(memberId);
  const group = [...members].filter((m) => canonicalMemberId(merges, m) === root);
  const inGroup = new Set(group);
  const erased = all.some((o) => o.t === 'erase' && inGroup.has(o.e));

  const profile = new Map<string, { id: string; v: unknown }>();
  const idents = new Map<string, { id: string; type: string; value: string }>();
  const tagAdds = new Map<string, Set<string>>();
  const removed = new Set<string>();
  let points = 0;
  for (const o of all) {
    switch (o.t) {
      case 'set': {
        if (o.e !== 'member' || !inGroup.has(o.k)) break;
        if (erased && isPiiField(o.f)) break;
        const cur = profile.get(o.f);
        if (!cur || o.id > cur.id) profile.set(o.f, { id: o.id, v: o.b });
        break;
      }
      case 'ident': {
        if (!inGroup.has(o.e) || erased) break;
        const key = `${o.f}\u0000${o.k}`;
        const cur = idents.get(key);
        if (!cur || o.id > cur.id) idents.set(key, { id: o.id, type: o.f, value: o.k });
        break;
      }
      case 'pts':
        if (inGroup.has(o.e)) points += o.n ?? 0;
        break;
      case 'tag':
        if (!inGroup.has(o.e)) break;
        if (o.f === 'add') {
          const s = tagAdds.get(o.k) ?? new Set<string>();
          s.add(o.id);
          tagAdds.set(o.k, s);
        } else for (const id of (o.b as string[] | null) ?? []) removed.add(id);
        break;
      default:
        break;
    }
  }
  const tags = [...tagAdds.entries()]
    .filter(([, adds]) => [...adds].some((id) => !removed.has(id)))
    .map(([t]) => t)
    .sort();
  return {
    id: root,
    mergedFrom: group.filter((m) => m !== root).sort(),
    erased,
    profile: Object.fromEntries(
      [...profile.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([f, { v }]) => [f, v]),
    ),
    identities: [...idents.values()]
      .map(({ type, value }) => ({ type, value }))
      .sort((a, b) => (a.type + a.value < b.type + b.value ? -1 : 1)),
    points,
    tags,
  };
}

/**
 * Which member an identity resolves to: the latest link for that identity (by HLC), then
 * followed through merges. Erased members resolve to nothing.
 */
export function resolveIdentity(ops: Iterable<Op>, type: string, value: string): string | null {
  const all = [...ops];
  let link: Op | null = null;
  for (const o of all) if (o.t === 'ident' && o.f === type && o.k === value && (!link || o.id > link.id)) link = o;
  if (!link) return null;
  const merges = all.filter((o) => o.t === 'merge');
  const root = canonicalMemberId(merges, link.e);
  const erasedIds = new Set(all.filter((o) => o.t === 'erase').map((o) => o.e));
  if (erasedIds.has(root) || erasedIds.has(link.e)) return null;
  return root;
}

/** Copy of an op with personal data removed, as stored once its member is erased. */
export function scrubOp(op: Op): Op {
  if (op.t === 'set' && op.e === 'member' && isPiiField(op.f)) return { ...op, b: null };
  if (op.t === 'ident') return { ...op, k: '' };
  return op;
}

/**
 * Every member id whose personal data must be wiped: each erased member and every member joined
 * to it by One-ID merges. Storage runs this after a batch with erasures or merges.
 */
export function erasedMemberIds(mergeOps: Op[], eraseOps: Op[]): string[] {
  if (eraseOps.length === 0) return [];
  const roots = new Set(eraseOps.map((o) => canonicalMemberId(mergeOps, o.e)));
  const out = new Set(eraseOps.map((o) => o.e));
  for (const m of mergeOps) for (const id of [m.e, m.k]) if (roots.has(canonicalMemberId(mergeOps, id))) out.add(id);
  return [...out].sort();
}
