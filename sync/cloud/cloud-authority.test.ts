// The device check behind every push and pull: an instance keeps a live device's row for at most
// DEVICE_CHECK_MS instead of reading it on every request. The property: a revocation or a
// replacing enrollment counts at once on the instance that made it, and on every other instance
// sharing the database within DEVICE_CHECK_MS; a revoked or unknown device is never kept.
// Two authorities over one embedded PGlite schema stand in for two cloud instances.
import { afterAll, describe, expect, it } from 'vitest';
import { PgSyncStorage, pgliteDriver } from '../storage';
import { AuthError } from '../protocol';
import { CloudAuthority, DEVICE_CHECK_MS } from './cloud-authority';

const driverP = pgliteDriver();
afterAll(async () => (await driverP).close());

async function twoInstances(schema: string) {
  const driver = await driverP;
  const storage = await PgSyncStorage.open({ ...driver, close: async () => {} }, schema);
  let t = 1_764_000_000_000;
  const clock = { now: () => t, advance: (ms: number) => (t += ms) };
  const opts = { demoEnrollCode: '', demoStoreId: 'S1', now: clock.now };
  const a = new CloudAuthority(storage, opts);
  const b = new CloudAuthority(storage, opts);
  await a.init();
  await b.init();
  return { a, b, clock, storage };
}

async function refusal(p: Promise<unknown>): Promise<string | null> {
  try {
    await p;
    return null;
  } catch (err) {
    return err instanceof AuthError ? err.code : String(err);
  }
}

describe('cloud device check', () => {
  it('a revocation counts at once where it was made, and on another instance within DEVICE_CHECK_MS', async () => {
    const { a, b, clock, storage } = await twoInstances(`auth_rev_${process.pid}`);
    try {
      const { code } = await a.createEnrollCode('S1', 'terminal');
      const { token } = await a.enroll({ code, deviceId: 'T01' });
      expect((await a.verify(token)).d).toBe('T01');
      expect((await b.verify(token)).d).toBe('T01');
      await a.revoke('T01', 'S1');
      expect(await refusal(a.verify(token))).toBe('REVOKED');
      // Instance b read the row before the revocation: it may accept for the rest of the bound…
      clock.advance(DEVICE_CHECK_MS - 1);
      expect(await refusal(b.verify(token))).toBe(null);
      // …and not a moment longer.
      clock.advance(1);
      expect(await refusal(b.verify(token))).toBe('REVOKED');
      // A revoked row is never kept: refused on every request after.
      expect(await refusal(b.verify(token))).toBe('REVOKED');
    } finally {
      await storage.dropSchema();
    }
  });

  it('a replacing enrollment retires the old credential on the instance that made it at once', async () => {
    const { a, b, clock, storage } = await twoInstances(`auth_rep_${process.pid}`);
    try {
      const first = await a.enroll({ code: (await a.createEnrollCode('S1', 'terminal')).code, deviceId: 'T01' });
      expect((await a.verify(first.token)).d).toBe('T01');
      expect((await b.verify(first.token)).d).toBe('T01');
      clock.advance(5);
      const second = await a.enroll({
        code: (await a.createEnrollCode('S1', 'terminal')).code,
        deviceId: 'T01',
        replace: true,
      });
      expect(await refusal(a.verify(first.token))).toBe('REVOKED');
      expect((await a.verify(second.token)).d).toBe('T01');
      clock.advance(DEVICE_CHECK_MS);
      expect(await refusal(b.verify(first.token))).toBe('REVOKED');
      expect((await b.verify(second.token)).d).toBe('T01');
    } finally {
      await storage.dropSchema();
    }
  });

  it('an unknown device is asked about on every request, so pairing it elsewhere counts at once', async () => {
    const { a, b, storage } = await twoInstances(`auth_new_${process.pid}`);
    try {
      const { code } = await a.createEnrollCode('S1', 'terminal');
      const { token } = await a.enroll({ code, deviceId: 'T01' });
      await storage.db.query(`DELETE FROM ${storage.table}.devices`);
      expect(await refusal(b.verify(token))).toBe('UNAUTHENTICATED');
      await storage.db.query(
        `INSERT INTO ${storage.table}.devices (id, store_id, role, credential_iat) VALUES ('T01', 'S1', 'terminal', 0)`,
      );
      expect((await b.verify(token)).d).toBe('T01');
    } finally {
      await storage.dropSchema();
    }
  });
});
