// The first-run wizard's actions on a till, the same for both shells: the web host answers them at
// /api/setup/<action> (app/host/till-host.ts), Electron over the preload's `pos:setup` IPC
// (app/main). Actions: `state` (pairing, sync, catalog download), `hubs` (store hubs found on the
// LAN), `pair` (enroll through the hub with a one-time code, write pairing.json, reopen the till
// on the paired store), `ticket` (print the setup ticket). The shell says how to reopen a till;
// this module says where: plan() is the paired store when pairing.json names one.
import { version as nodeVersion } from 'node:process';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { CoreSyncOptions } from '../core';
import type { Till } from './open-till';
import {
  DEFAULT_HUB_URL,
  enrollThroughHub,
  pairedDataDir,
  PairingError,
  pairRequestSchema,
  readPairing,
  writePairing,
  type EnrollResult,
  type Pairing,
} from './pairing';
import { printSetupTicket, type SetupTicketDevice } from './setup-ticket';

/** A store hub heard on the LAN (sync/discovery's DiscoveredHub; the shell injects the search). */
export interface LanHub {
  name: string;
  storeId: string;
  hubId: string | null;
  url: string;
}

export interface SetupReply {
  status: number;
  body: unknown;
}

/** One wizard action: its name, GET (state, hubs) or POST, the parsed body, the session token if any. */
export type SetupAction = (
  action: string,
  method: 'GET' | 'POST',
  input: unknown,
  token?: string,
) => Promise<SetupReply>;

/** Where to open the till: the paired store's folder, ids and sync, or nothing to change (demo / environment). */
export interface TillPlan {
  pairing: Pairing | null;
  open: { dataDir?: string; storeId?: string; terminalId?: string; sync?: CoreSyncOptions };
}

export interface TillSetupOptions {
  /** The till's own data folder (pairing.json lives here; the paired store below it). */
  dataDir: string;
  /** Sync set by the environment (HUB_URL / CLOUD_URL): it wins, and the wizard may not pair. */
  envSync?: CoreSyncOptions;
  /** Sync timers for a wizard-paired till (tests shorten them). */
  pairedSync?: Pick<CoreSyncOptions, 'intervalMs' | 'maxBackoffMs'>;
  logger: Logger;
  /** The till being served now. */
  current(): Till;
  /** Closes the till and opens it again on plan(); called after the pairing answer is out. */
  reopen(): Promise<void>;
  /** Asks the LAN for store hubs (mDNS); absent, the wizard's search answers DISCOVERY_UNAVAILABLE. */
  findHubs?: () => Promise<LanHub[]>;
}

export interface TillSetup {
  /** Reads pairing.json (a damaged file throws with its path) and hands a fresh credential over once. */
  plan(): TillPlan;
  readonly handle: SetupAction;
  /** Resolves when a reopen after pairing is over (close waits for it). */
  settled(): Promise<void>;
}

const ticketSchema = z.object({
  results: z
    .record(z.string().max(64), z.enum(['passed', 'failed', 'not tested']))
    .refine((r) => Object.keys(r).length <= 32, 'at most 32 devices')
    .optional(),
});

const fail = (status: number, code: string, message: string, details: Record<string, unknown> = {}): SetupReply => ({
  status,
  body: { ok: false, error: { code, message, details } },
});

/** A LAN search takes ~2 s; answers this fresh are reused, so a held-down key cannot flood the network. */
const HUBS_REUSE_MS = 3000;

export function createTillSetup(o: TillSetupOptions): TillSetup {
  const envPaired = Boolean(o.envSync && (o.envSync.hubUrl || o.envSync.cloudUrl));
  let pairing: Pairing | null = null;
  // Enrolled by the wizard, handed to the sync client once on the reopened till.
  let freshCredential: EnrollResult | null = null;
  let restarting: Promise<void> | null = null;
  let search: { at: number; hubs: Promise<LanHub[]> } | null = null;

  function plan(): TillPlan {
    pairing = envPaired ? null : readPairing(o.dataDir);
    if (!pairing) return { pairing: null, open: {} };
    const credential = freshCredential;
    freshCredential = null;
    return {
      pairing,
      open: {
        dataDir: pairedDataDir(o.dataDir, pairing),
        storeId: pairing.storeId,
        terminalId: pairing.terminalId,
        sync: {
          hubUrl: pairing.hubUrl,
          enrollCode: '',
          ...(credential ? { enrolled: credential } : {}),
          ...o.pairedSync,
        },
      },
    };
  }

  async function technician(token: string | undefined): Promise<boolean> {
    const who = await o.current().core.call('auth.whoami', {}, { token });
    return who.ok && who.staff.role === 'technician';
  }

  const handle: SetupAction = async (action, method, input, token) => {
    if (restarting) return fail(503, 'RESTARTING', 'The till is reopening on its new store; ask again in a moment.');
    if (action === 'state' && method === 'GET') return { status: 200, body: await setupState() };
    if (action === 'hubs' && method === 'GET') return hubs();
    if (action === 'pair' && method === 'POST') return pair(input, token);
    if (action === 'ticket' && method === 'POST') return ticket(input, token);
    return fail(404, 'NOT_FOUND', `No setup action "${action.slice(0, 40)}".`);
  };

  async function hubs(): Promise<SetupReply> {
    if (!o.findHubs) return fail(503, 'DISCOVERY_UNAVAILABLE', 'This till cannot search the LAN; type the address.');
    if (!search || Date.now() - search.at > HUBS_REUSE_MS) search = { at: Date.now(), hubs: o.findHubs() };
    try {
      return { status: 200, body: { ok: true, hubs: await search.hubs } };
    } catch (err) {
      search = null;
      o.logger.warn({ err: (err as Error).message }, 'LAN search for hubs failed');
      return fail(503, 'DISCOVERY_UNAVAILABLE', 'Searching the LAN failed here; type the hub address.');
    }
  }

  async function pair(input: unknown, token: string | undefined): Promise<SetupReply> {
    if (envPaired)
      return fail(409, 'PAIRED_BY_ENVIRONMENT', 'This till is paired by HUB_URL / CLOUD_URL; change those instead.');
    // A paired till is re-paired only by a technician; an unpaired one (the demo store) by
    // whoever holds a pairing code, which is the secret here.
    if (pairing && !(await technician(token)))
      return fail(403, 'TECHNICIAN_REQUIRED', "Re-pairing needs the technician's PIN.");
    const parsed = pairRequestSchema.safeParse(input);
    if (!parsed.success)
      return fail(400, 'BAD_INPUT', parsed.error.issues[0]?.message ?? 'bad pairing request', {
        field: String(parsed.error.issues[0]?.path[0] ?? ''),
      });
    let enrolled: Awaited<ReturnType<typeof enrollThroughHub>>;
    try {
      enrolled = await enrollThroughHub(parsed.data);
    } catch (err) {
      if (err instanceof PairingError) {
        o.logger.warn({ code: err.code, hub: parsed.data.hubUrl }, 'pairing failed'); // never the code
        return fail(err.code === 'RATE_LIMITED' ? 429 : 422, err.code, err.message, err.details);
      }
      throw err;
    }
    const next: Pairing = {
      hubUrl: parsed.data.hubUrl.replace(/\/$/, ''),
      storeId: enrolled.credential.storeId,
      terminalId: enrolled.terminalId,
      pairedAt: new Date().toISOString(),
    };
    writePairing(o.dataDir, next);
    freshCredential = enrolled.credential;
    o.logger.info({ store: next.storeId, terminal: next.terminalId, hub: next.hubUrl }, 'till paired');
    // After this answer is out: the page asks for the state until the reopened till answers.
    restarting = new Promise<void>((resolve) => setTimeout(resolve, 50))
      .then(o.reopen)
      .catch((err: unknown) => o.logger.error({ err }, 'reopening the till after pairing failed'))
      .finally(() => {
        restarting = null;
      });
    return { status: 200, body: { ok: true, ...next } };
  }

  async function setupState(): Promise<unknown> {
    const core = o.current().core;
    const sync = core.sync ? await core.sync.status() : null;
    return {
      ok: true,
      paired: envPaired ? 'environment' : pairing ? 'wizard' : null,
      storeId: core.storeId,
      terminalId: core.terminalId,
      hubUrl: pairing?.hubUrl ?? o.envSync?.hubUrl ?? null,
      defaultHubUrl: pairing?.hubUrl ?? o.envSync?.hubUrl ?? DEFAULT_HUB_URL,
      canSearch: Boolean(o.findHubs),
      version: core.version,
      sync,
      download: sync ? await downloadProgress() : null,
    };
  }

  // How much of the store's data (catalog, prices, config) the till holds: op counts of its read
  // scopes here against the hub's, from the same digests the sync checks use. Asked at most
  // once a second of the hub.
  let hubDigest: { at: number; counts: number | null } = { at: 0, counts: null };
  async function downloadProgress(): Promise<{ received: number; total: number | null }> {
    const storage = o.current().core.sync!.outbox.storage;
    const raw = storage.getMetaSync('sync.credential');
    const cred = raw ? (JSON.parse(raw) as EnrollResult) : null;
    const scopes = cred?.read ?? [];
    const count = (d: Record<string, string>) =>
      Object.values(d).reduce((n, v) => n + (Number(v.split(':')[0]) || 0), 0);
    const received = scopes.length ? count(await storage.digests(scopes)) : 0;
    const hubUrl = pairing?.hubUrl ?? o.envSync?.hubUrl;
    if (cred && hubUrl && Date.now() - hubDigest.at > 1000) {
      hubDigest = { at: Date.now(), counts: hubDigest.counts };
      try {
        const r = await fetch(`${hubUrl}/sync/digest`, {
          headers: { authorization: `Bearer ${cred.token}` },
          signal: AbortSignal.timeout(3000),
        });
        const body = (await r.json()) as { ok: boolean; digests?: Record<string, string> };
        if (body.ok && body.digests) hubDigest.counts = count(body.digests);
      } catch {
        /* the hub is away: the bar waits */
      }
    }
    return { received, total: hubDigest.counts };
  }

  async function ticket(input: unknown, token: string | undefined): Promise<SetupReply> {
    if (!(await technician(token)))
      return fail(403, 'TECHNICIAN_REQUIRED', "Printing the setup ticket needs the technician's PIN.");
    const parsed = ticketSchema.safeParse(input);
    if (!parsed.success) return fail(400, 'BAD_INPUT', parsed.error.issues[0]?.message ?? 'bad ticket request');
    const till = o.current();
    const core = till.core;
    if (!till.hub) return fail(422, 'NO_PRINTER', 'No receipt printer is set up for this till.');
    const listed = await core.call('devices.list', {}, { token });
    const results = parsed.data.results ?? {};
    const devices: SetupTicketDevice[] = listed.ok
      ? listed.devices
          .filter((d) => d.configured)
          .map((d) => ({
            id: d.id,
            kind: d.kind,
            name: d.emulated ? `emulator ${d.uri}` : d.uri,
            result: results[d.id] ?? 'not tested',
          }))
      : [];
    try {
      const { jobId } = printSetupTicket(till, {
        hubUrl: pairing?.hubUrl ?? o.envSync?.hubUrl ?? '—',
        devices,
        versions: { 'POS 版本 version': core.version, 'Node.js': nodeVersion },
        at: new Date(),
      });
      return { status: 200, body: { ok: true, jobId, devices } };
    } catch (err) {
      return fail(422, 'NO_PRINTER', (err as Error).message);
    }
  }

  return { plan, handle, settled: async () => void (await restarting) };
}
