// The store hub as the authority for spending a member's stored value (储值) and points while the
// LAN is up, so one yuan or one point is never spent twice by two tills within a sync window.
// Before a sale with a stored-value or points tender commits, the till asks the hub to hold the
// amount. The hub adds up the member's ledger as its replica knows it (stored_value facts of this
// store, pts ops), takes off what other carts hold, and holds the amount only if it is still
// there. Reading and writing happen in one SQLite transaction with no await in between, so two
// tills asking at once cannot both win. The till confirms after its sale commits: the hold keeps
// counting until the sale's own ledger entry reaches the hub by sync (then the ledger counts it);
// a void, a cancelled or failed payment releases it; a hold a crashed till never released lapses.
// Without the hub a till falls back to its own view and the per-member daily offline cap
// (app/core/stored-value, docs/members.md).
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { storeScope } from '../core';
import type { DeviceClaims } from '../protocol';

export const LOYALTY_KINDS = ['stored_value', 'points'] as const;
export type LoyaltyKind = (typeof LOYALTY_KINDS)[number];

/** A hold never confirmed nor released (the till crashed mid-sale) lapses after this long. */
export const LOYALTY_HOLD_MS = 15 * 60_000;
/** A confirmed spend whose ledger entry never reaches the hub stops counting after this long. */
export const LOYALTY_SPENT_KEEP_MS = 24 * 3_600_000;

/** What a till sends: the member's One-ID group (root first), fen (stored value) or points, its cart and sale. */
export const loyaltyHoldSchema = z
  .object({
    kind: z.enum(LOYALTY_KINDS),
    memberIds: z.array(z.string().min(1).max(80)).min(1).max(20),
    amount: z.number().int().min(1).max(1_000_000_000),
    cartId: z.string().min(1).max(80),
    saleId: z.string().min(1).max(80),
  })
  .strict();
export type LoyaltyHoldInput = z.output<typeof loyaltyHoldSchema>;

export type LoyaltyHold =
  | { ok: true; available: number }
  | {
      ok: false;
      code: 'LOYALTY_INSUFFICIENT';
      /** The member's ledger as the hub knows it, what other carts hold, and what is left. */
      balance: number;
      held: number;
      available: number;
      /** Tills whose carts hold part of it. */
      heldBy: string[];
    };

export interface LoyaltyHolds {
  hold(device: DeviceClaims, input: LoyaltyHoldInput): LoyaltyHold;
  confirm(device: DeviceClaims, input: LoyaltyHoldInput): { ok: true };
  release(device: DeviceClaims, input: Pick<LoyaltyHoldInput, 'kind' | 'cartId'>): { ok: true; released: boolean };
}

interface HoldRow {
  device: string;
  cart_id: string;
  sale_id: string;
  member_id: string;
  amount: number;
  state: 'held' | 'spent';
  at: number;
}

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** The hub's holds over its sync replica (`db` holds the sync_ops table of that replica). */
export function loyaltyHolds(db: Database.Database, storeId: string, now: () => number = Date.now): LoyaltyHolds {
  db.exec(`CREATE TABLE IF NOT EXISTS loyalty_holds (
    kind TEXT NOT NULL,
    device TEXT NOT NULL,
    cart_id TEXT NOT NULL,
    sale_id TEXT NOT NULL,
    member_id TEXT NOT NULL,
    amount INTEGER NOT NULL,
    state TEXT NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (kind, device, cart_id)
  );
  CREATE INDEX IF NOT EXISTS loyalty_holds_member ON loyalty_holds (kind, member_id);
  CREATE INDEX IF NOT EXISTS sync_ops_stored_value_member ON sync_ops (json_extract(b, '$.memberId'))
    WHERE t = 'fact' AND e = 'stored_value';`);
  const scope = storeScope(storeId);
  const prune = db.prepare(
    "DELETE FROM loyalty_holds WHERE (state = 'held' AND at < ?) OR (state = 'spent' AND at < ?)",
  );
  const upsert = db.prepare(
    `INSERT INTO loyalty_holds (kind, device, cart_id, sale_id, member_id, amount, state, at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (kind, device, cart_id) DO UPDATE SET sale_id = excluded.sale_id,
       member_id = excluded.member_id, amount = excluded.amount, state = excluded.state, at = excluded.at`,
  );
  const drop = db.prepare("DELETE FROM loyalty_holds WHERE kind = ? AND device = ? AND cart_id = ? AND state = 'held'");

  /** Stored value (fen) or points the member's group has, by the hub's replica. */
  function balance(kind: LoyaltyKind, group: readonly string[]): number {
    if (kind === 'points')
      return (
        db
          .prepare(`SELECT COALESCE(SUM(n), 0) AS n FROM sync_ops WHERE t = 'pts' AND e IN (${marks(group.length)})`)
          .get(...group) as { n: number }
      ).n;
    // One ledger row is one fact key; a row that reached the hub twice (two op ids) counts once.
    const rows = db
      .prepare(
        `SELECT k, b FROM sync_ops WHERE t = 'fact' AND e = 'stored_value' AND s = ?
           AND json_extract(b, '$.memberId') IN (${marks(group.length)})`,
      )
      .all(scope, ...group) as { k: string; b: string }[];
    const seen = new Set<string>();
    let sum = 0;
    for (const r of rows) {
      if (seen.has(r.k)) continue;
      seen.add(r.k);
      const b = JSON.parse(r.b) as { entry?: unknown; principal?: unknown; bonus?: unknown };
      if (b.entry !== 'topup' && b.entry !== 'spend' && b.entry !== 'refund') continue;
      const p = b.principal;
      const x = b.bonus;
      if (typeof p === 'number' && Number.isSafeInteger(p) && typeof x === 'number' && Number.isSafeInteger(x))
        sum += p + x;
    }
    return sum;
  }

  /** Whether the sale's own spend reached the hub's ledger (then the ledger counts it, not the hold). */
  function landed(kind: LoyaltyKind, group: readonly string[], saleId: string): boolean {
    if (kind === 'points')
      return (
        db
          .prepare(
            `SELECT 1 FROM sync_ops WHERE t = 'pts' AND e IN (${marks(group.length)}) AND k = ? AND f = 'redeem' LIMIT 1`,
          )
          .get(...group, saleId) !== undefined
      );
    return (
      db
        .prepare(
          `SELECT 1 FROM sync_ops WHERE t = 'fact' AND e = 'stored_value' AND s = ?
             AND json_extract(b, '$.memberId') IN (${marks(group.length)})
             AND json_extract(b, '$.ref') = ? AND json_extract(b, '$.kind') = 'spend' LIMIT 1`,
        )
        .get(scope, ...group, saleId) !== undefined
    );
  }

  function holdsOf(kind: LoyaltyKind, group: readonly string[]): (HoldRow & { kind: LoyaltyKind })[] {
    return db
      .prepare(`SELECT * FROM loyalty_holds WHERE kind = ? AND member_id IN (${marks(group.length)})`)
      .all(kind, ...group) as (HoldRow & { kind: LoyaltyKind })[];
  }

  const holdTx = db.transaction((device: DeviceClaims, input: LoyaltyHoldInput): LoyaltyHold => {
    const t = now();
    prune.run(t - LOYALTY_HOLD_MS, t - LOYALTY_SPENT_KEEP_MS);
    const { kind, memberIds: group } = input;
    const have = balance(kind, group);
    let held = 0;
    const heldBy = new Set<string>();
    for (const h of holdsOf(kind, group)) {
      if (h.device === device.d && h.cart_id === input.cartId) continue; // this cart asking again
      if (landed(kind, group, h.sale_id)) continue;
      held += h.amount;
      heldBy.add(h.device);
    }
    const available = have - held;
    if (input.amount > available)
      return {
        ok: false,
        code: 'LOYALTY_INSUFFICIENT',
        balance: have,
        held,
        available: Math.max(0, available),
        heldBy: [...heldBy].sort(),
      };
    upsert.run(kind, device.d, input.cartId, input.saleId, group[0]!, input.amount, 'held', t);
    return { ok: true, available: available - input.amount };
  });

  return {
    hold: (device, input) => holdTx(device, input),
    // Kept (as spent) even when the hold had lapsed, so the gap until the ledger entry arrives is covered.
    confirm(device, input) {
      upsert.run(input.kind, device.d, input.cartId, input.saleId, input.memberIds[0]!, input.amount, 'spent', now());
      return { ok: true };
    },
    release(device, input) {
      return { ok: true, released: drop.run(input.kind, device.d, input.cartId).changes > 0 };
    },
  };
}
