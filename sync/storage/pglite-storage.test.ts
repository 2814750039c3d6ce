import { storageContract } from './storage-contract.case';
import { PgSyncStorage } from './pg-storage';
import { pgliteDriver } from './pg-driver';

// One embedded PGlite (in memory) per test file; each opened storage gets its own schema.
let n = 0;
const driverP = pgliteDriver();
storageContract('PGlite (embedded Postgres)', async () => {
  const driver = await driverP;
  const storage = await PgSyncStorage.open({ ...driver, close: async () => {} }, `c_${process.pid}_${n++}`);
  return {
    storage,
    cleanup: async () => {
      await storage.dropSchema();
    },
  };
});
