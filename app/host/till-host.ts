// The till in web mode as `npm start` runs it: the web host plus the first-run wizard's way to
// pair it. Pairing writes <dataDir>/pairing.json and reopens the till on the paired store's own
// database (pairing.ts) on the same port; the page keeps polling /api/setup/state through the
// restart. Sync set by the environment (HUB_URL / CLOUD_URL) wins over a wizard pairing.
import { version as nodeVersion } from 'node:process';
import pino from 'pino';
import type { CoreSyncOptions } from '../core';
import type { EnrollResult } from '../../sync/protocol';
import { printSetupTicket, type SetupTicketDevice } from '../till';
import {
  DEFAULT_HUB_URL,
  enrollThroughHub,
  pairedDataDir,
  PairingError,
  pairRequestSchema,
  readPairing,
  writePairing,
  type Pairing,
} from './pairing';
import { startWebHost, type StartedWebHost, type StartWebHostOptions } from './start-web-host';
import { z } from 'zod';

export interface TillHostOptions extends StartWebHostOptions {
  /** Sync timers for a wizard-paired till (tests shorten them). */
  pairedSync?: Pick<CoreSyncOptions, 'intervalMs' | 'maxBackoffMs'>;
}

export interface RunningTillHost {
  readonly url: string;
  readonly port: number;
  /** The till now being served (changes when the wizard pairs it). */
  current(): StartedWebHost;
  close(): Promise<void>;
}

const ticketSchema = z.object({
  results: z
    .record(z.string().max(64), z.enum(['passed', 'failed', 'not tested']))
    .refine((r) => Object.keys(r).length <= 32, 'at most 32 devices')
    .optional(),
});

type Reply = { status: number; body: unknown };
const fail = (status: number, code: string, message: string, details: Record<string, unknown> = {}): Reply => ({
  status,
  body: { ok: false, error: { code, message, details } },
});

export async function runTillHost(opts: TillHostOptions): Promise<RunningTillHost> {
  const logger = opts.logger ?? pino({ level: 'warn' });
  const envPaired = Boolean(opts.sync && (opts.sync.hubUrl || opts.sync.cloudUrl));
  // Enrolled by the wizard, handed to the sync client once on the reopened till.
  let freshCredential: EnrollResult | null = null;
  let restarting: Promise<void> | null = null;

  function effective(): { options: StartWebHostOptions; pairing: Pairing | null } {
    if (envPaired) return { options: opts, pairing: null };
    const pairing = readPairing(opts.dataDir);
    if (!pairing) return { options: opts, pairing: null };
    const credential = freshCredential;
    freshCredential = null;
    return {
      pairing,
      options: {
        ...opts,
        dataDir: pairedDataDir(opts.dataDir, pairing),
        storeId: pairing.storeId,
        terminalId: pairing.terminalId,
        sync: {
          hubUrl: pairing.hubUrl,
          enrollCode: '',
          ...(credential ? { enrolled: credential } : {}),
          ...opts.pairedSync,
        },
      },
    };
  }

  let state = effective();
  let host = await startWebHost({ ...state.options, setup: endpoint });
  const port = host.port;
  const url = host.url;

  async function reopen(): Promise<void> {
    const next = effective();
    await host.close();
    state = next;
    host = await startWebHost({ ...next.options, port, setup: endpoint });
    logger.info({ store: next.pairing?.storeId, terminal: next.pairing?.terminalId }, 'till reopened after pairing');
  }

  async function technician(token: string | undefined): Promise<boolean> {
    const who = await host.core.call('auth.whoami', {}, { token });
    return who.ok && who.staff.role === 'technician';
  }

  async function endpoint(action: string, method: 'GET' | 'POST', input: unknown, token?: string): Promise<Reply> {
    if (restarting) return fail(503, 'RESTARTING', 'The till is reopening on its new store; ask again in a moment.');
    if (action === 'state' && method === 'GET') return { status: 200, body: await setupState() };
    if (action === 'pair' && method === 'POST') return pair(input, token);
    if (action === 'ticket' && method === 'POST') return ticket(input, token);
    return fail(404, 'NOT_FOUND', `No setup action "${action.slice(0, 40)}".`);
  }

  async function pair(input: unknown, token: string | undefined): Promise<Reply> {
    if (envPaired)
      return fail(409, 'PAIRED_BY_ENVIRONMENT', 'This till is paired by HUB_URL / CLOUD_URL; change those instead.');
    // A paired till is re-paired only by a technician; an unpaired one (the demo store) by
    // whoever holds a pairing code, which is the secret here.
    if (state.pairing && !(await technician(token)))
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
        logger.warn({ code: err.code, hub: parsed.data.hubUrl }, 'pairing failed'); // never the code
        return fail(err.code === 'RATE_LIMITED' ? 429 : 422, err.code, err.message, err.details);
      }
      throw err;
    }
    const pairing: Pairing = {
      hubUrl: parsed.data.hubUrl.replace(/\/$/, ''),
      storeId: enrolled.credential.storeId,
      terminalId: enrolled.terminalId,
      pairedAt: new Date().toISOString(),
    };
    writePairing(opts.dataDir, pairing);
    freshCredential = enrolled.credential;
    logger.info({ store: pairing.storeId, terminal: pairing.terminalId, hub: pairing.hubUrl }, 'till paired');
    // After this answer is out: the page polls /api/setup/state until the reopened till answers.
    restarting = new Promise<void>((resolve) => setTimeout(resolve, 50))
      .then(reopen)
      .catch((err: unknown) => logger.error({ err }, 'reopening the till after pairing failed'))
      .finally(() => {
        restarting = null;
      });
    return { status: 200, body: { ok: true, ...pairing } };
  }

  async function setupState(): Promise<unknown> {
    const core = host.core;
    const sync = core.sync ? await core.sync.status() : null;
    return {
      ok: true,
      paired: envPaired ? 'environment' : state.pairing ? 'wizard' : null,
      storeId: core.storeId,
      terminalId: core.terminalId,
      hubUrl: state.pairing?.hubUrl ?? opts.sync?.hubUrl ?? null,
      defaultHubUrl: state.pairing?.hubUrl ?? opts.sync?.hubUrl ?? DEFAULT_HUB_URL,
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
    const storage = host.core.sync!.outbox.storage;
    const raw = storage.getMetaSync('sync.credential');
    const cred = raw ? (JSON.parse(raw) as EnrollResult) : null;
    const scopes = cred?.read ?? [];
    const count = (d: Record<string, string>) =>
      Object.values(d).reduce((n, v) => n + (Number(v.split(':')[0]) || 0), 0);
    const received = scopes.length ? count(await storage.digests(scopes)) : 0;
    const hubUrl = state.pairing?.hubUrl ?? opts.sync?.hubUrl;
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

  async function ticket(input: unknown, token: string | undefined): Promise<Reply> {
    if (!(await technician(token)))
      return fail(403, 'TECHNICIAN_REQUIRED', "Printing the setup ticket needs the technician's PIN.");
    const parsed = ticketSchema.safeParse(input);
    if (!parsed.success) return fail(400, 'BAD_INPUT', parsed.error.issues[0]?.message ?? 'bad ticket request');
    const { till, core } = host;
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
        hubUrl: state.pairing?.hubUrl ?? opts.sync?.hubUrl ?? '—',
        devices,
        versions: { 'POS 版本 version': core.version, 'Node.js': nodeVersion },
        at: new Date(),
      });
      return { status: 200, body: { ok: true, jobId, devices } };
    } catch (err) {
      return fail(422, 'NO_PRINTER', (err as Error).message);
    }
  }

  return {
    url,
    port,
    current: () => host,
    async close() {
      await restarting;
      await host.close();
    },
  };
}
