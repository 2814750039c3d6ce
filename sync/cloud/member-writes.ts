// Member writes shared by the CDP admin API and the WeCom callback: the scope a member's ops
// live in, and linking an identity with the One-ID merge when another member already holds it.
import type { IDENTITY_TYPES, Op, OpFactory } from '../core';
import type { PgSyncStorage } from '../storage';

/** The scope a member's ops live in: its home store, or chain-wide. */
export async function memberScope(storage: PgSyncStorage, memberId: string): Promise<string> {
  const r = await storage.db.query<{ s: string }>(
    `SELECT s FROM ${storage.table}.ops WHERE ((t = 'set' AND e = 'member' AND k = $1) OR (t IN ('ident','pts','tag') AND e = $1)) ORDER BY id COLLATE "C" LIMIT 1`,
    [memberId],
  );
  return r.rows[0]?.s ?? 'chain';
}

/** Links an identity; when another member already holds it, this member is merged into that one's group. */
export async function linkIdentity(
  storage: PgSyncStorage,
  ops: OpFactory,
  memberId: string,
  scope: string,
  type: (typeof IDENTITY_TYPES)[number],
  value: string,
  extra: Op[] = [],
): Promise<{ memberId: string; merged: boolean }> {
  const holder = await storage.findMember(type, value);
  const batch: Op[] = [ops.identity(scope, memberId, type, value), ...extra];
  let mergedFrom: string | null = null;
  if (holder && holder !== memberId) {
    // One-ID: the newer record merges into the one that already held the identity.
    batch.push(ops.mergeMembers(scope, memberId, holder));
    mergedFrom = memberId;
  }
  await storage.apply(batch, 'cloud');
  return { memberId: mergedFrom ? holder! : memberId, merged: mergedFrom !== null };
}
