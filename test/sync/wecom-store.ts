// The set-up the WeCom API tests share: the WeCom emulator serving WeCom's API, a cloud (in this
// process) configured with its callback keys and secret, and one till core of the store paired
// with that cloud, its own sync timer parked (tests sync by hand), a cashier logged in.
import type { Logger } from 'pino';
import { startCloud, DEMO_ENROLL_CODE, type CloudHandle } from '../../sync';
import { openTestCore, type TestCore } from '../../app/core/test-support';
import { WecomEmulator } from '../../drivers/emulators';
import { cloudDb, dropCloudSchema, quietLog } from './helpers';

export interface WecomStore {
  cloud: CloudHandle;
  wecom: WecomEmulator;
  /** The emulator's API base URL (what WECOM_API_URL would say). */
  apiUrl: string;
  till: TestCore;
  token: string;
  stop(): Promise<void>;
}

export async function startWecomStore(o: {
  tag: string;
  admin: string;
  store: string;
  keys: { token: string; encodingAesKey: string; corpId: string };
  secret: string;
  log?: Logger;
}): Promise<WecomStore> {
  const wecom = new WecomEmulator({ callbackUrl: '', ...o.keys, secret: o.secret });
  const apiUrl = await wecom.startApi();
  const db = cloudDb(o.tag);
  const cloud = await startCloud({
    ...db,
    demo: true,
    demoStoreId: o.store,
    adminToken: o.admin,
    log: o.log ?? quietLog,
    wecom: { ...o.keys, secret: o.secret, apiUrl },
  });
  wecom.callbackUrl = `${cloud.url}/wecom/callback`;
  const till = openTestCore({
    storeId: o.store,
    logger: quietLog,
    sync: { cloudUrl: cloud.url, enrollCode: DEMO_ENROLL_CODE, intervalMs: 60_000 },
  });
  till.clock.now = new Date();
  await till.core.sync!.syncNow();
  const token = await till.login();
  return {
    cloud,
    wecom,
    apiUrl,
    till,
    token,
    async stop() {
      till.cleanup();
      await cloud.close().catch(() => {});
      await wecom.close();
      await dropCloudSchema(db.schema);
    },
  };
}
