import { describe, it } from 'vitest';
import { storageContract } from './storage-contract.case';
import { PgSyncStorage } from './pg-storage';
import { poolDriver } from './pg-driver';

// Runs against a real Postgres only where DATABASE_URL is set; a unique schema per run keeps
// parallel runs apart.
const url = process.env['DATABASE_URL'];
if (url) {
  let n = 0;
  const run = `${Date.now().toString(36)}_${process.pid}`;
  storageContract('Postgres (pg, DATABASE_URL)', async () => {
    const storage = await PgSyncStorage.open(poolDriver(url, 2), `t_${run}_${n++}`);
    return {
      storage,
      cleanup: async () => {
        await storage.dropSchema();
        await storage.close();
      },
    };
  });
} else {
  describe('SyncStorage contract: Postgres', () => {
    it.skip('needs DATABASE_URL', () => {});
  });
}
