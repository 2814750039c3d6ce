// A till paired by the first-run wizard: which hub it syncs through and which store and terminal
// id it enrolled as, in <dataDir>/pairing.json (0600). The paired store's database lives in
// <dataDir>/paired/<store>-<terminal>/, so pairing never touches the demo store that
// `npm start` opens on a fresh machine, and a re-run into the same store and id keeps its sales.
// Enrollment goes through the hub here (not on the sync client's first cycle) so the technician
// sees a wrong code or a taken terminal id at once, on the wizard's screen.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { CoreSyncOptions } from '../core';

/** The device credential the hub hands out on enrollment (sync's EnrollResult, as the core takes it). */
export type EnrollResult = NonNullable<CoreSyncOptions['enrolled']>;

export const PAIRING_FILE = 'pairing.json';
/** What the hub field shows before anything was typed: the hub's default port on a typical store LAN name. */
export const DEFAULT_HUB_URL = 'http://pos-hub.local:8791';

const httpUrl = z
  .string()
  .trim()
  .max(200)
  .regex(/^https?:\/\/[^\s/?#]+\/?$/, 'an http(s) address such as http://192.168.1.10:8791');
const terminalIdSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,16}$/, 'letters, digits, - or _, at most 16');

const pairingSchema = z.object({
  hubUrl: httpUrl,
  storeId: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/),
  terminalId: terminalIdSchema,
  pairedAt: z.string(),
});
export type Pairing = z.infer<typeof pairingSchema>;

export const pairRequestSchema = z.object({
  hubUrl: httpUrl,
  code: z.string().trim().min(4).max(64),
  /** Empty: the first free id of T01…T20. */
  terminalId: z.union([terminalIdSchema, z.literal('')]).optional(),
  /** A technician confirms this till takes over an enrolled till of the same id. */
  replace: z.boolean().optional(),
});
type PairRequest = z.infer<typeof pairRequestSchema>;

/** The pairing saved in the data dir, or null (demo store). A damaged file stops the start with its path. */
export function readPairing(dataDir: string): Pairing | null {
  let raw: string;
  try {
    raw = readFileSync(join(dataDir, PAIRING_FILE), 'utf8');
  } catch {
    return null;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error(`${join(dataDir, PAIRING_FILE)} is not valid JSON; pair the till again or remove the file`);
  }
  const r = pairingSchema.safeParse(parsed);
  if (!r.success)
    throw new Error(`${join(dataDir, PAIRING_FILE)}: ${r.error.issues[0]?.message ?? 'bad pairing'}; pair again`);
  return r.data;
}

export function writePairing(dataDir: string, pairing: Pairing): void {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, PAIRING_FILE);
  writeFileSync(`${file}.tmp`, JSON.stringify(pairing, null, 2), { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

/** Where the paired store's database and files live. */
export function pairedDataDir(dataDir: string, p: Pick<Pairing, 'storeId' | 'terminalId'>): string {
  return join(dataDir, 'paired', `${p.storeId}-${p.terminalId}`);
}

/** Why pairing failed, as a stable code the wizard translates. */
type PairingFailure =
  | 'CODE_REFUSED' // unknown, used or expired pairing code
  | 'TERMINAL_ID_TAKEN' // a live till of the store has that id (replace not confirmed)
  | 'RATE_LIMITED' // too many wrong codes from here: wait
  | 'HUB_UNREACHABLE' // nothing answers at the hub address
  | 'HUB_REFUSED'; // the hub answered with something else (details.message)

export class PairingError extends Error {
  constructor(
    readonly code: PairingFailure,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const AUTO_IDS = Array.from({ length: 20 }, (_, i) => `T${String(i + 1).padStart(2, '0')}`);

/**
 * Enrolls this till through the hub with a one-time pairing code. Without a terminal id it takes
 * the first of T01…T20 the store has not given to a live till (a taken id answers 409 and leaves
 * the code unused, so trying the next one costs nothing).
 */
export async function enrollThroughHub(
  req: PairRequest,
  timeoutMs = 8000,
): Promise<{ credential: EnrollResult; terminalId: string }> {
  const hubUrl = req.hubUrl.replace(/\/$/, '');
  const ids = req.terminalId ? [req.terminalId] : AUTO_IDS;
  for (const deviceId of ids) {
    let res: Response;
    try {
      res = await fetch(`${hubUrl}/sync/enroll`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code: req.code, deviceId, role: 'terminal', ...(req.replace ? { replace: true } : {}) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw new PairingError('HUB_UNREACHABLE', `no answer from ${hubUrl}: ${(err as Error).message}`, { hubUrl });
    }
    const body = (await res.json().catch(() => null)) as
      | (EnrollResult & { ok: true })
      | { ok: false; error?: { code?: string; message?: string; details?: { retryAfterSeconds?: number } } }
      | null;
    if (body && body.ok) {
      const { token, storeId, role, read, write, publicKey } = body;
      return { credential: { token, deviceId, storeId, role, read, write, publicKey }, terminalId: deviceId };
    }
    const code = body?.error?.code;
    const message = body?.error?.message ?? `HTTP ${res.status}`;
    if (res.status === 409 && !req.terminalId) continue;
    if (res.status === 409) throw new PairingError('TERMINAL_ID_TAKEN', message, { terminalId: deviceId });
    if (res.status === 429)
      throw new PairingError('RATE_LIMITED', message, {
        retryAfterSeconds: body?.error?.details?.retryAfterSeconds ?? Number(res.headers.get('retry-after') ?? 60),
      });
    if (code === 'ENROLL_REFUSED' || res.status === 401 || res.status === 403)
      throw new PairingError('CODE_REFUSED', message);
    throw new PairingError('HUB_REFUSED', message, { status: res.status });
  }
  throw new PairingError('TERMINAL_ID_TAKEN', 'T01…T20 are all taken in this store; type a terminal id', {
    terminalId: '',
  });
}
