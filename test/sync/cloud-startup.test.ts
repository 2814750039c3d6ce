// Several cloud instances starting at once on a fresh schema (a deploy behind a load balancer):
// the storage migration and the authority's tables run under one lock, so none of them may
// crash (before, 1 start in 6 failed with `type "enroll_codes" already exists`). Each instance
// has its own connection pools, like separate processes. All of them must end up signing with
// the one key kept in Postgres. Real Postgres only (PGlite is one embedded connection).
import { describe, expect, it } from 'vitest';
import { startCloud, type CloudHandle } from '../../sync';
import { cloudDb, dropCloudSchema, postJson, quietLog } from './helpers';

const ADMIN = 'startup-race-admin-token';
const ROUNDS = 20;
const INSTANCES = 4;

describe('cloud instances starting together', () => {
  it.skipIf(!process.env['DATABASE_URL'])(
    `${INSTANCES} instances start at once on a fresh schema, ${ROUNDS} times, and all serve`,
    async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const { databaseUrl, schema } = cloudDb(`boot${round}`);
        const results = await Promise.allSettled(
          Array.from({ length: INSTANCES }, () =>
            startCloud({ databaseUrl, schema, port: 0, adminToken: ADMIN, log: quietLog, writePool: 2, readPool: 1 }),
          ),
        );
        const up = results.filter((r): r is PromiseFulfilledResult<CloudHandle> => r.status === 'fulfilled');
        try {
          const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
          expect(failed?.reason, `round ${round}`).toBeUndefined();
          // One signing key for all: a code made on one instance pairs on another, and the
          // credential works on every instance.
          const code = await postJson(`${up[0]!.value.url}/sync/admin/enroll-codes`, { storeId: 'S1' }, ADMIN);
          expect(code.status).toBe(200);
          const pair = await postJson(`${up[1]!.value.url}/sync/enroll`, { code: code.body.code, deviceId: 'T01' });
          expect(pair.status).toBe(200);
          for (const c of up) {
            const pull = await postJson(`${c.value.url}/sync/pull`, { cursor: 0 }, pair.body.token);
            expect(pull.status).toBe(200);
          }
        } finally {
          await Promise.all(up.map((c) => c.value.close()));
          await dropCloudSchema(schema);
        }
      }
    },
    240_000,
  );
});
