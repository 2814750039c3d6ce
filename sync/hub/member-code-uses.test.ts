import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { memberCodeUses } from './member-code-uses';
import type { DeviceClaims } from '../protocol';

const till = (d: string): DeviceClaims => ({ d, st: 'S1', r: 'terminal', iat: 0 });

describe('member code uses at the hub', () => {
  it('one till takes a nonce; another till is refused, the same till asking again is not', () => {
    let now = 1_000_000;
    const uses = memberCodeUses(new Database(':memory:'), () => now);
    const code = { nonce: 'n1', memberId: 'M1', expiresAt: now + 60_000 };
    expect(uses.use(till('T01'), code)).toEqual({ ok: true, first: true });
    expect(uses.use(till('T01'), code)).toEqual({ ok: true, first: false });
    expect(uses.use(till('T02'), code)).toEqual({ ok: false, code: 'MEMBER_CODE_REPLAYED', by: { terminalId: 'T01' } });
    // Another member's code cannot borrow the nonce either.
    expect(uses.use(till('T01'), { ...code, memberId: 'M2' }).ok).toBe(false);
    // After the code's life the row is pruned (the till's own expiry check refuses the code itself).
    now += 61_000;
    expect(uses.use(till('T02'), code)).toEqual({ ok: true, first: true });
  });

  it('keeps a nonce at least a minute even when the till says it has expired, and at most ten', () => {
    let now = 5_000_000;
    const db = new Database(':memory:');
    const uses = memberCodeUses(db, () => now);
    uses.use(till('T01'), { nonce: 'past', memberId: 'M1', expiresAt: now - 10_000 });
    uses.use(till('T01'), { nonce: 'far', memberId: 'M1', expiresAt: now + 86_400_000 });
    const rows = db.prepare('SELECT nonce, expires_at AS e FROM member_code_uses ORDER BY nonce').all() as {
      nonce: string;
      e: number;
    }[];
    expect(rows).toEqual([
      { nonce: 'far', e: now + 600_000 },
      { nonce: 'past', e: now + 60_000 },
    ]);
    now += 30_000;
    expect(uses.use(till('T02'), { nonce: 'past', memberId: 'M1', expiresAt: now }).ok).toBe(false);
  });
});
