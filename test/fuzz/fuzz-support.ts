// Shared scaffolding of the fuzz suite (docs/fuzzing.md): one seed and one scale for every
// channel, per-channel counters printed as a JSON line, the real till as a child process, and
// a bounded-concurrency runner. Inputs are drawn with fast-check's `fc.sample` from the seed, so
// a failure names the seed and the input index and `FUZZ_SEED=<seed>` replays it exactly.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';

const root = join(import.meta.dirname, '..', '..');

/** The run's seed: FUZZ_SEED replays a run; otherwise a fresh one, printed by every channel. */
export const SEED: number = process.env['FUZZ_SEED']
  ? Number(process.env['FUZZ_SEED'])
  : (Date.now() ^ (process.pid << 8)) >>> 0;
/** Multiplies every count; default 1 gives ≥100,000 requests/ops across the suite. */
export const SCALE: number = process.env['FUZZ_SCALE'] ? Math.max(0.01, Number(process.env['FUZZ_SCALE'])) : 1;

export function scaled(n: number): number {
  return Math.max(1, Math.round(n * SCALE));
}

/** A channel-specific seed, so adding inputs to one channel does not reshuffle the others. */
export function seedFor(channel: string): number {
  let h = SEED >>> 0;
  for (const ch of channel) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return h;
}

/** `n` deterministic draws of `arb` for `channel`. */
export function draw<T>(channel: string, arb: fc.Arbitrary<T>, n: number): T[] {
  return fc.sample(arb, { seed: seedFor(channel), numRuns: n });
}

/** Counts per channel and sub-channel; `report()` prints the one summary line per test file. */
export class FuzzCounts {
  readonly counts: Record<string, number> = {};
  readonly failures: string[] = [];
  private readonly kinds = new Map<string, number>();
  constructor(readonly suite: string) {}
  add(channel: string, n = 1): void {
    this.counts[channel] = (this.counts[channel] ?? 0) + n;
  }
  total(): number {
    return Object.values(this.counts).reduce((a, b) => a + b, 0);
  }
  /** Records a broken invariant with what is needed to replay it; the test fails at the end. */
  fail(channel: string, what: string, input: unknown): void {
    // A few examples of each kind of failure, so one defect does not hide the others.
    const kind = `${channel}:${what.replace(/[\d.]+/g, '#').slice(0, 40)}`;
    this.kinds.set(kind, (this.kinds.get(kind) ?? 0) + 1);
    if (this.kinds.get(kind)! <= 3 && this.failures.length < 60)
      this.failures.push(`[${channel}] ${what} — input ${JSON.stringify(input)?.slice(0, 600)} (FUZZ_SEED=${SEED})`);
  }
  report(extra: Record<string, unknown> = {}): void {
    // One JSON line per file; docs/fuzzing.md adds them up.
    console.log(
      JSON.stringify({
        fuzz: this.suite,
        seed: SEED,
        scale: SCALE,
        total: this.total(),
        counts: this.counts,
        failures: this.failures.length,
        ...extra,
      }),
    );
    for (const f of this.failures) console.log(`FUZZ FAILURE ${f}`);
  }
}

/** Runs `work` over `items` with at most `concurrency` in flight. */
export async function pool<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

export interface TillProcess {
  child: ChildProcess;
  url: string;
  port: number;
  dataDir: string;
  output(): string;
  alive(): boolean;
  stop(): Promise<void>;
  /** Resolves true once the process has exited, false after `ms`. */ exited(ms: number): Promise<boolean>;
}

/** A real till web host (test/sync/till-process.ts) on 127.0.0.1, port 0, in a fresh data dir. */
export async function startTill(env: Record<string, string> = {}): Promise<TillProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pos-fuzz-'));
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'test/sync/till-process.ts')], {
    cwd: root,
    env: { ...process.env, POS_PORT: '0', POS_DATA_DIR: dataDir, POS_DEVICES: 'none', LOG_LEVEL: 'fatal', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const reap = () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  process.once('exit', reap);
  let out = '';
  let closed = false;
  child.once('close', () => {
    closed = true;
  });
  child.stderr!.on('data', (d: Buffer) => {
    out = (out + d.toString()).slice(-20_000);
  });
  const info = await new Promise<{ url: string; port: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`till did not start: ${out}`)), 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      out = (out + d.toString()).slice(-20_000);
      const line = out.split('\n').find((l) => l.startsWith('{"ready":true'));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`till exited ${code}: ${out}`));
    });
  });
  return {
    child,
    dataDir,
    ...info,
    output: () => out,
    alive: () => child.exitCode === null && child.signalCode === null,
    // 'close' rather than 'exit': a crash's stack on stderr may arrive after 'exit'.
    exited: (ms) =>
      new Promise<boolean>((resolve) => {
        const t = setTimeout(() => resolve(false), ms);
        if (closed) {
          clearTimeout(t);
          resolve(true);
          return;
        }
        child.once('close', () => {
          clearTimeout(t);
          resolve(true);
        });
      }),
    async stop() {
      process.removeListener('exit', reap);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}

/**
 * POST /api/<method> with a JSON body; answers status and parsed JSON (null when not JSON).
 * A keep-alive-free agent per call: a pooled socket the server just closed as idle would fail
 * the request on our side and read as a server fault.
 */
export function rpc(
  url: string,
  method: string,
  body: unknown,
  token?: string,
): Promise<{ status: number; body: any }> {
  const payload = Buffer.from(JSON.stringify(body) ?? 'null');
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${url}/api/${method}`,
      {
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': payload.length,
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          let parsed: any = null;
          try {
            parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            /* checked by the caller */
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
