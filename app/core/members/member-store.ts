// The till's read model of replicated member ops, kept in the member tables of migration 0007.
// Ops arrive from other replicas (inside the sync transaction that stores them) or are written
// here (sign-up, points); both go through applyMemberOps, which is idempotent per op id and
// order-independent like the fold in sync/core/members.ts: LWW per profile field, the latest
// link per identity, the lowest-id merge per member, a points ledger, add-wins tags and an
// erasure that wipes personal fields and identities for good.
//
// Identities are stored as a keyed hash (HMAC-SHA256 with a key kept in this database), so this
// table alone does not list phone numbers; the profile keeps only the masked name and phone.
import { createHmac, randomBytes } from 'node:crypto';
import type { Op } from '../../../sync/core';
import { maskName } from '../../../sync/protocol';
import type { Db } from '../db';
import { maskPhone, normalizePhone } from './member-masking';

const KEY_KV = 'members.identity-key';
const keys = new WeakMap<Db, Buffer>();

function identityKey(db: Db): Buffer {
  let k = keys.get(db);
  if (k) return k;
  const row = db.prepare('SELECT value FROM kv WHERE key = ?').get(KEY_KV) as { value: string } | undefined;
  if (row) k = Buffer.from(row.value, 'hex');
  else {
    k = randomBytes(32);
    db.prepare('INSERT OR IGNORE INTO kv (key, value, updated_at) VALUES (?, ?, ?)').run(
      KEY_KV,
      k.toString('hex'),
      new Date().toISOString(),
    );
    k = Buffer.from((db.prepare('SELECT value FROM kv WHERE key = ?').get(KEY_KV) as { value: string }).value, 'hex');
  }
  keys.set(db, k);
  return k;
}

export function identityHash(db: Db, type: string, value: string): string {
  const v = type === 'phone' ? normalizePhone(value) : value;
  return createHmac('sha256', identityKey(db)).update(`${type}\u0000${v}`).digest('base64url');
}

/** Profile fields the till keeps (personal ones only masked). */
const KEPT_FIELDS = new Set(['level', 'wecom', 'wecomExternal']);
const keptField = (f: string) => KEPT_FIELDS.has(f) || f.startsWith('consent.') || f.startsWith('consentRecord.');

function putField(db: Db, memberId: string, field: string, opId: string, value: unknown): void {
  db.prepare(
    `INSERT INTO member_fields (member_id, field, op_id, value) VALUES (?, ?, ?, ?)
     ON CONFLICT (member_id, field) DO UPDATE SET op_id = excluded.op_id, value = excluded.value WHERE excluded.op_id > member_fields.op_id`,
  ).run(memberId, field, opId, JSON.stringify(value ?? null));
}

function isErased(db: Db, memberId: string): boolean {
  return db.prepare('SELECT 1 FROM member_erasures WHERE member_id = ?').get(memberId) !== undefined;
}

/** Applies member ops to the member tables (call inside the transaction that stores them). */
export function applyMemberOps(db: Db, ops: readonly Op[]): void {
  let erasures = false;
  for (const o of ops) {
    switch (o.t) {
      case 'set': {
        if (o.e !== 'member') break;
        if (o.f === 'name') {
          if (!isErased(db, o.k)) putField(db, o.k, 'maskedName', o.id, maskName(o.b));
        } else if (o.f === 'phone') {
          if (!isErased(db, o.k) && typeof o.b === 'string') putField(db, o.k, 'maskedPhone', o.id, maskPhone(o.b));
        } else if (keptField(o.f)) putField(db, o.k, o.f, o.id, o.b);
        break;
      }
      case 'ident': {
        if (o.k === '' || isErased(db, o.e)) break;
        db.prepare(
          `INSERT INTO member_identities (type, value_hash, member_id, op_id) VALUES (?, ?, ?, ?)
           ON CONFLICT (type, value_hash) DO UPDATE SET member_id = excluded.member_id, op_id = excluded.op_id WHERE excluded.op_id > member_identities.op_id`,
        ).run(o.f, identityHash(db, o.f, o.k), o.e, o.id);
        if (o.f === 'phone') putField(db, o.e, 'maskedPhone', o.id, maskPhone(o.k));
        break;
      }
      case 'merge':
        if (o.e === o.k) break;
        db.prepare(
          `INSERT INTO member_merges (from_id, into_id, op_id) VALUES (?, ?, ?)
           ON CONFLICT (from_id) DO UPDATE SET into_id = excluded.into_id, op_id = excluded.op_id WHERE excluded.op_id < member_merges.op_id`,
        ).run(o.e, o.k, o.id);
        erasures = true; // an erased member's merge partner is wiped too
        break;
      case 'pts':
        db.prepare(
          'INSERT OR IGNORE INTO member_points (op_id, member_id, delta, reason, ref) VALUES (?, ?, ?, ?, ?)',
        ).run(o.id, o.e, o.n ?? 0, o.f, o.k);
        break;
      case 'tag':
        if (o.f === 'add')
          db.prepare('INSERT OR IGNORE INTO member_tags (add_id, member_id, tag) VALUES (?, ?, ?)').run(o.id, o.e, o.k);
        else
          for (const id of (o.b as string[] | null) ?? [])
            db.prepare('INSERT OR IGNORE INTO member_tag_removals (add_id) VALUES (?)').run(id);
        break;
      case 'erase':
        db.prepare('INSERT OR IGNORE INTO member_erasures (member_id, op_id) VALUES (?, ?)').run(o.e, o.id);
        erasures = true;
        break;
      default:
        break;
    }
  }
  if (erasures) wipeErased(db);
}

/** Every member of an erased member's One-ID group loses its personal data and identities. */
function wipeErased(db: Db): void {
  const erased = (db.prepare('SELECT member_id FROM member_erasures').all() as { member_id: string }[]).map(
    (r) => r.member_id,
  );
  if (erased.length === 0) return;
  const roots = new Set(erased.map((m) => canonicalMember(db, m)));
  const group = new Set(erased);
  for (const r of db.prepare('SELECT from_id, into_id FROM member_merges').all() as {
    from_id: string;
    into_id: string;
  }[])
    for (const id of [r.from_id, r.into_id]) if (roots.has(canonicalMember(db, id))) group.add(id);
  for (const id of group) {
    db.prepare(
      "DELETE FROM member_fields WHERE member_id = ? AND field IN ('maskedName', 'maskedPhone', 'wecomExternal')",
    ).run(id);
    db.prepare('DELETE FROM member_identities WHERE member_id = ?').run(id);
    db.prepare('DELETE FROM member_visits WHERE member_id = ?').run(id);
    db.prepare('INSERT OR IGNORE INTO member_erasures (member_id, op_id) VALUES (?, ?)').run(id, 'group');
  }
}

/** The surviving member id after One-ID merges (a cycle resolves to its smallest id). */
export function canonicalMember(db: Db, memberId: string): string {
  const step = db.prepare('SELECT into_id FROM member_merges WHERE from_id = ?');
  const seen: string[] = [];
  let at = memberId;
  for (;;) {
    const next = (step.get(at) as { into_id: string } | undefined)?.into_id;
    if (next === undefined) return at;
    seen.push(at);
    if (seen.includes(next)) {
      const cycle = seen.slice(seen.indexOf(next));
      return cycle.reduce((a, b) => (b < a ? b : a));
    }
    at = next;
  }
}

/** Member ids merged into `root` (and root itself). */
function groupOf(db: Db, root: string): string[] {
  const out = [root];
  for (const r of db.prepare('SELECT from_id FROM member_merges WHERE into_id = ?').all(root) as { from_id: string }[])
    if (!out.includes(r.from_id) && canonicalMember(db, r.from_id) === root) out.push(...groupOf(db, r.from_id));
  return [...new Set(out)];
}

/** Member ids that were merged into another (every other id is its own canonical id). */
export function mergedMemberIds(db: Db): Set<string> {
  return new Set(
    (db.prepare('SELECT from_id FROM member_merges').all() as { from_id: string }[]).map((r) => r.from_id),
  );
}

/** The member's One-ID group: the surviving id first, then every id merged into it. */
export function memberGroup(db: Db, memberId: string): string[] {
  return groupOf(db, canonicalMember(db, memberId));
}

/** The member an identity resolves to here (after merges), or null (unknown or erased). */
export function findByIdentity(db: Db, type: string, value: string): string | null {
  const r = db
    .prepare('SELECT member_id FROM member_identities WHERE type = ? AND value_hash = ?')
    .get(type, identityHash(db, type, value)) as { member_id: string } | undefined;
  if (!r) return null;
  const root = canonicalMember(db, r.member_id);
  return isErased(db, root) || isErased(db, r.member_id) ? null : root;
}

export interface MemberRecord {
  id: string;
  known: boolean;
  erased: boolean;
  maskedName: string | null;
  maskedPhone: string | null;
  level: string | null;
  points: number;
  tags: string[];
  consent: Record<string, boolean>;
  consentRecords: Record<string, unknown>;
  wecomLinked: boolean;
}

/** What this till holds of one member (merged group folded in; latest field write wins). */
export function readMember(db: Db, memberId: string): MemberRecord {
  const id = canonicalMember(db, memberId);
  const group = groupOf(db, id);
  const marks = group.map(() => '?').join(',');
  const fields = new Map<string, { op: string; v: unknown }>();
  for (const r of db
    .prepare(`SELECT field, op_id, value FROM member_fields WHERE member_id IN (${marks})`)
    .all(...group) as { field: string; op_id: string; value: string | null }[]) {
    const cur = fields.get(r.field);
    if (!cur || r.op_id > cur.op)
      fields.set(r.field, { op: r.op_id, v: r.value === null ? null : JSON.parse(r.value) });
  }
  const points = (
    db
      .prepare(`SELECT COALESCE(SUM(delta), 0) AS p FROM member_points WHERE member_id IN (${marks})`)
      .get(...group) as {
      p: number;
    }
  ).p;
  const tags = (
    db
      .prepare(
        `SELECT DISTINCT tag FROM member_tags WHERE member_id IN (${marks}) AND add_id NOT IN (SELECT add_id FROM member_tag_removals) ORDER BY tag`,
      )
      .all(...group) as { tag: string }[]
  ).map((r) => r.tag);
  const idents = (
    db.prepare(`SELECT COUNT(*) AS n FROM member_identities WHERE member_id IN (${marks})`).get(...group) as {
      n: number;
    }
  ).n;
  const erased = group.some((m) => isErased(db, m));
  const consent: Record<string, boolean> = {};
  const consentRecords: Record<string, unknown> = {};
  for (const [f, { v }] of fields) {
    if (f.startsWith('consent.') && typeof v === 'boolean') consent[f.slice('consent.'.length)] = v;
    if (f.startsWith('consentRecord.')) consentRecords[f.slice('consentRecord.'.length)] = v;
  }
  const str = (f: string) => {
    const v = fields.get(f)?.v;
    return typeof v === 'string' ? v : null;
  };
  return {
    id,
    known: fields.size > 0 || idents > 0 || points !== 0,
    erased,
    maskedName: erased ? null : str('maskedName'),
    maskedPhone: erased ? null : str('maskedPhone'),
    level: str('level'),
    points,
    tags,
    consent,
    consentRecords,
    wecomLinked: fields.get('wecom')?.v === true,
  };
}

/** Records a member code's nonce; false when this till has seen it within the code's life. */
export function useNonce(db: Db, nonce: string, memberId: string, expiresAt: number, now: number): boolean {
  db.prepare('DELETE FROM member_code_nonces WHERE expires_at < ?').run(now);
  const r = db
    .prepare('INSERT OR IGNORE INTO member_code_nonces (nonce, member_id, expires_at) VALUES (?, ?, ?)')
    .run(nonce, memberId, expiresAt);
  return r.changes === 1;
}

export function insertSaleMember(db: Db, saleId: string, memberId: string, points: number, at: string): void {
  db.prepare('INSERT INTO sale_members (sale_id, member_id, points_earned, created_at) VALUES (?, ?, ?, ?)').run(
    saleId,
    memberId,
    points,
    at,
  );
}

export function saleMemberRow(
  db: Db,
  saleId: string,
): { memberId: string; pointsEarned: number; pointsReturned: number } | null {
  const r = db.prepare('SELECT member_id, points_earned FROM sale_members WHERE sale_id = ?').get(saleId) as
    { member_id: string; points_earned: number } | undefined;
  if (!r) return null;
  const back = (
    db
      .prepare("SELECT COALESCE(SUM(-delta), 0) AS b FROM member_points WHERE ref = ? AND reason = 'return'")
      .get(saleId) as { b: number }
  ).b;
  return { memberId: r.member_id, pointsEarned: r.points_earned, pointsReturned: back };
}
