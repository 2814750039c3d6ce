// The store hub as the store-wide memory of member codes used: a member code (60 s life) shown at
// one till must not attach the member at a second till of the same store. Each till keeps its own
// nonce table; while the LAN is up it also asks the hub, which records the nonce for the code's
// life and refuses it to any other till. Reading and writing happen in one synchronous statement
// pair with no await between them, so two tills asking at once cannot both win. A till that
// cannot reach the hub decides alone (its own table) and says so in the audit log.
import type Database from 'better-sqlite3';
import type { DeviceClaims } from '../protocol';

export type MemberCodeUse =
  { ok: true; first: boolean } | { ok: false; code: 'MEMBER_CODE_REPLAYED'; by: { terminalId: string } };

/** How far ahead of the hub's clock a code's expiry may be recorded (codes live 60 s). */
export const MAX_CODE_LIFE_MS = 10 * 60_000;

export interface MemberCodeUses {
  use(device: DeviceClaims, input: { nonce: string; memberId: string; expiresAt: number }): MemberCodeUse;
}

export function memberCodeUses(db: Database.Database, now: () => number = Date.now): MemberCodeUses {
  db.exec(`CREATE TABLE IF NOT EXISTS member_code_uses (
    nonce TEXT PRIMARY KEY,
    device TEXT NOT NULL,
    member_id TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS member_code_uses_expiry ON member_code_uses (expires_at);`);
  const prune = db.prepare('DELETE FROM member_code_uses WHERE expires_at < ?');
  const find = db.prepare<[string], { device: string; member_id: string }>(
    'SELECT device, member_id FROM member_code_uses WHERE nonce = ?',
  );
  const insert = db.prepare('INSERT INTO member_code_uses (nonce, device, member_id, expires_at) VALUES (?, ?, ?, ?)');
  const use = db.transaction((device: DeviceClaims, nonce: string, memberId: string, expiresAt: number) => {
    const t = now();
    prune.run(t);
    const seen = find.get(nonce);
    if (seen) {
      // The same till asking again (its first answer was lost) is not a replay.
      if (seen.device === device.d && seen.member_id === memberId) return { ok: true, first: false } as const;
      return { ok: false, code: 'MEMBER_CODE_REPLAYED', by: { terminalId: seen.device } } as const;
    }
    // An expiry in the past still counts for a while (the till's clock may run ahead of the hub's).
    insert.run(nonce, device.d, memberId, Math.min(Math.max(expiresAt, t + 60_000), t + MAX_CODE_LIFE_MS));
    return { ok: true, first: true } as const;
  });
  return {
    use: (device, input) => use(device, input.nonce, input.memberId, input.expiresAt),
  };
}
