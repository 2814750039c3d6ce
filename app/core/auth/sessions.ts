// Bearer-token sessions. Only the SHA-256 of a token is stored, so the database alone cannot
// be used to impersonate anyone; sessions survive a restart so the cashier stays logged in.
import { createHash, randomBytes } from 'node:crypto';
import { PosError, type StaffView } from '../../contract';
import type { Db } from '../db';
import { toStaffView } from './staff-store';
import type { Role } from '../../contract';

export const SESSION_TTL_MS = 16 * 60 * 60 * 1000;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function createSession(db: Db, staffId: string, now: Date): string {
  const token = randomBytes(32).toString('base64url');
  db.prepare('INSERT INTO sessions (token_hash, staff_id, created_at, expires_at) VALUES (?, ?, ?, ?)').run(
    hashToken(token),
    staffId,
    now.toISOString(),
    new Date(now.getTime() + SESSION_TTL_MS).toISOString(),
  );
  return token;
}

export function resolveSession(db: Db, token: string | undefined, now: Date): StaffView {
  if (!token) throw new PosError('UNAUTHENTICATED');
  const row = db
    .prepare(
      `SELECT s.expires_at, s.revoked_at, st.id, st.name, st.role, st.active, st.must_change_pin
    FROM sessions s JOIN staff st ON st.id = s.staff_id WHERE s.token_hash = ?`,
    )
    .get(hashToken(token)) as
    | {
        expires_at: string;
        revoked_at: string | null;
        id: string;
        name: string;
        role: Role;
        active: number;
        must_change_pin: number;
      }
    | undefined;
  if (!row || row.revoked_at || row.active !== 1 || Date.parse(row.expires_at) <= now.getTime()) {
    throw new PosError('UNAUTHENTICATED', { reason: 'session-expired' });
  }
  const staff = toStaffView(row);
  return row.must_change_pin === 1 ? { ...staff, mustChangePin: true } : staff;
}

export function revokeSession(db: Db, token: string, now: Date): void {
  db.prepare('UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL').run(
    now.toISOString(),
    hashToken(token),
  );
}
