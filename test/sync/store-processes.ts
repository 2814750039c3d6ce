// The set-ups the cross-process sync tests share, so each test states only what it changes:
//
//   startCloud           the cloud (`sync/cloud/main.ts`) as a child process, on real Postgres
//                        under a throwaway schema when DATABASE_URL is set, PGlite otherwise;
//   openCloudSyncedTill  a real terminal core (real SQLite) paired with that cloud directly;
//   startStore           cloud + one store hub + till web hosts as child processes, each till's
//                        links to hub and cloud through a TCP proxy the test can cut and heal;
//   tillCall / tillRpc   a till's HTTP RPC, as the browser calls it.
import pino from 'pino';
import type { RpcResult } from '../../app/contract';
import { openTerminalCore, type TerminalCore } from '../../app/core';
import { dropCloudSchema, postJson, tempDir, waitFor } from './helpers';
import { startProcess, type Proc } from './processes';
import { startTcpProxy, type TcpProxy } from './tcp-proxy';

export interface CloudProcess {
  proc: Proc;
  url: string;
  schema: string;
  /** A one-time pairing code for `storeId` from the cloud's admin API. */
  pairingCode(storeId: string): Promise<string>;
  stop(): Promise<void>;
}

/** Starts the cloud; `tag` names its schema and data dir, `env` adds or overrides settings. */
export async function startCloud(tag: string, admin: string, env: Record<string, string> = {}): Promise<CloudProcess> {
  const schema = `t_${tag}_${Date.now().toString(36)}_${process.pid}`;
  const dbEnv: Record<string, string> = process.env['DATABASE_URL']
    ? { DATABASE_URL: process.env['DATABASE_URL'], CLOUD_SCHEMA: schema }
    : { DATABASE_URL: '', CLOUD_DATA_DIR: tempDir(`${tag}-cloud`) };
  const proc = await startProcess('sync/cloud/main.ts', {
    ...dbEnv,
    CLOUD_PORT: '0',
    CLOUD_ADMIN_TOKEN: admin,
    ...env,
  });
  const url = `http://127.0.0.1:${proc.info.port}`;
  return {
    proc,
    url,
    schema,
    pairingCode: async (storeId) =>
      (await postJson(`${url}/sync/admin/enroll-codes`, { storeId }, admin)).body.code as string,
    async stop() {
      await proc.stop();
      await dropCloudSchema(schema);
    },
  };
}

/** A terminal core of the demo store, paired with the cloud directly (no hub), syncing every 200 ms. */
export async function openCloudSyncedTill(
  cloud: CloudProcess,
  tag: string,
  storeId: string,
  terminalId: string,
  dataDir = tempDir(`${tag}-${storeId}-${terminalId}`),
): Promise<TerminalCore> {
  return openTerminalCore({
    dataDir,
    seedDemo: true,
    storeId,
    terminalId,
    logger: pino({ level: 'silent' }),
    pinScryptN: 1024,
    sync: { cloudUrl: cloud.url, enrollCode: await cloud.pairingCode(storeId), intervalMs: 200, maxBackoffMs: 1000 },
  });
}

/** The answer of an in-process core call, or a thrown error with the coded error in it. */
export async function ok<T>(p: Promise<RpcResult<T>>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r;
}

export interface TillProcess {
  proc: Proc;
  id: string;
  dir: string;
  /** The demo cashier's (1234) session token. */
  token: string;
  toHub: TcpProxy;
  toCloud: TcpProxy;
}

export interface StoreProcesses {
  cloud: Proc;
  cloudUrl: string;
  hub: Proc;
  hubDir: string;
  /** The hub's link to the cloud, when `hubViaProxy` asked for one. */
  hubToCloud: TcpProxy | null;
  tills: TillProcess[];
  /** Stops every process and proxy (tills first) and drops the cloud's schema. */
  stop(): Promise<void>;
}

export interface StoreOptions {
  tag: string;
  admin: string;
  /** The demo enrolment code the cloud accepts for `store`. */
  code: string;
  store?: string;
  tillIds?: string[];
  cloudEnv?: Record<string, string>;
  hubEnv?: Record<string, string>;
  tillEnv?: Record<string, string>;
  /** Puts a cuttable proxy between hub and cloud. */
  hubViaProxy?: boolean;
  /** Keeps the shipped sync timers (till 3 s cycle, hub 2 s) instead of the short test ones. */
  shippedTimers?: boolean;
}

/**
 * Cloud, hub and till web hosts (`test/sync/till-process.ts`, configured from env like
 * `npm start`), started one after the other: each till seeds the demo store's opening stock.
 * Short sync timers unless the options override them.
 */
export async function startStore(o: StoreOptions): Promise<StoreProcesses> {
  const store = o.store ?? 'S1';
  const procs: Proc[] = [];
  const proxies: TcpProxy[] = [];
  const cloud = await startCloud(o.tag, o.admin, {
    CLOUD_DEMO: '1',
    DEMO_ENROLL_CODE: o.code,
    DEMO_STORE_ID: store,
    ...o.cloudEnv,
  });
  const hubToCloud = o.hubViaProxy ? await startTcpProxy(cloud.proc.info.port) : null;
  if (hubToCloud) proxies.push(hubToCloud);
  const hubDir = tempDir(`${o.tag}-hub`);
  const hub = await startProcess('sync/hub/main.ts', {
    HUB_PORT: '0',
    HUB_DATA_DIR: hubDir,
    CLOUD_URL: hubToCloud?.url ?? cloud.url,
    ENROLL_CODE: o.code,
    STORE_ID: store,
    ...(o.shippedTimers ? {} : { HUB_SYNC_INTERVAL_MS: '200', HUB_MAX_BACKOFF_MS: '800' }),
    ...o.hubEnv,
  });
  procs.push(hub);
  const tills: TillProcess[] = [];
  for (const id of o.tillIds ?? ['T01', 'T02']) {
    const toHub = await startTcpProxy(hub.info.port);
    const toCloud = await startTcpProxy(cloud.proc.info.port);
    proxies.push(toHub, toCloud);
    const dir = tempDir(`${o.tag}-${id}`);
    const proc = await startProcess('test/sync/till-process.ts', {
      POS_PORT: '0',
      POS_DATA_DIR: dir,
      POS_DEVICES: 'none',
      POS_STORE_ID: store,
      POS_TERMINAL_ID: id,
      HUB_URL: toHub.url,
      CLOUD_URL: toCloud.url,
      ENROLL_CODE: o.code,
      ...(o.shippedTimers ? {} : { SYNC_INTERVAL_MS: '300', SYNC_MAX_BACKOFF_MS: '1000' }),
      ...o.tillEnv,
    });
    procs.push(proc);
    const login = await postJson(`http://127.0.0.1:${proc.info.port}/api/auth.login`, { pin: '1234' });
    tills.push({ proc, id, dir, token: login.body.token, toHub, toCloud });
  }
  return {
    cloud: cloud.proc,
    cloudUrl: cloud.url,
    hub,
    hubDir,
    hubToCloud,
    tills,
    async stop() {
      for (const p of procs.reverse()) await p.stop();
      for (const x of proxies) await x.close();
      await cloud.stop();
    },
  };
}

/** A till's HTTP RPC answer as it comes (`{ ok, ... }` or `{ ok: false, error }`). */
export async function tillCall(t: TillProcess, method: string, input: unknown = {}, token = t.token): Promise<any> {
  const r = await fetch(`http://127.0.0.1:${t.proc.info.port}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(input),
  });
  return r.json();
}

/** A till's HTTP RPC answer; throws with the till's id and the coded error when it is not ok. */
export async function tillRpc(t: TillProcess, method: string, input: unknown = {}, token?: string): Promise<any> {
  const body = await tillCall(t, method, input, token);
  if (!body.ok) throw new Error(`${t.id} ${method}: ${JSON.stringify(body.error)}`);
  return body;
}

/** Waits until every till reports sync ok with nothing pending. */
export async function waitTillsSynced(tills: TillProcess[], timeoutMs = 90_000): Promise<void> {
  await waitFor(
    'every till synced',
    async () => {
      const st = await Promise.all(tills.map((t) => tillRpc(t, 'system.status')));
      return st.every((s) => s.sync.state === 'ok' && s.sync.pendingOps === 0);
    },
    timeoutMs,
    250,
  );
}
