// Test helpers for the core's own tests: a seeded core on a real temp SQLite file, with a
// controllable clock, a silent logger and cheap PIN hashing. Not used by production code.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { MethodName, MethodOutput, TillEvent } from '../../contract';
import { SandboxPaymentCodeProvider } from '../payment';
import { openTerminalCore, type TerminalCore, type TerminalCoreOptions } from '../terminal';

export const PINS = { cashier: '1234', cashier2: '2345', manager: '8888', technician: '7777' } as const;

export interface TestCore {
  core: TerminalCore;
  dataDir: string;
  clock: { now: Date; advance(ms: number): void };
  provider: SandboxPaymentCodeProvider;
  events: TillEvent[];
  login(pin?: string): Promise<string>;
  /** Calls and returns the success value; throws with the error code if the call failed. */
  ok<M extends MethodName>(method: M, input: unknown, token?: string): Promise<MethodOutput<M>>;
  /** Calls and returns the error; throws if the call succeeded. */
  fail<M extends MethodName>(
    method: M,
    input: unknown,
    token?: string,
  ): Promise<{ code: string; message: string; details?: unknown }>;
  reopen(extra?: Partial<TerminalCoreOptions>): void;
  cleanup(): void;
}

export function makeTempDir(prefix = 'pos-core-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

let template: string | null = null;

/** A seeded database built once per test process and copied for each test (seeding is the slow part). */
function seededDataDir(): string {
  if (!template) {
    const dir = makeTempDir('pos-core-template-');
    const core = openTerminalCore({
      dataDir: dir,
      seedDemo: true,
      clock: () => new Date('2026-11-29T01:00:00.000Z'),
      logger: pino({ level: 'silent' }),
      pinScryptN: 1024,
    });
    core.close(); // checkpoints the WAL into terminal.db
    template = join(dir, 'terminal.db');
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  const dataDir = makeTempDir();
  copyFileSync(template, join(dataDir, 'terminal.db'));
  return dataDir;
}

export function openTestCore(extra: Partial<TerminalCoreOptions> = {}, dataDir = seededDataDir()): TestCore {
  const clock = {
    now: new Date('2026-11-29T02:00:00.000Z'),
    advance(ms: number) {
      this.now = new Date(this.now.getTime() + ms);
    },
  };
  const provider = new SandboxPaymentCodeProvider();
  const events: TillEvent[] = [];
  const options = (): TerminalCoreOptions => ({
    dataDir,
    seedDemo: true,
    clock: () => clock.now,
    paymentProvider: provider,
    logger: pino({ level: 'silent' }),
    pinScryptN: 1024,
    ...extra,
  });
  let core = openTerminalCore(options());
  core.events.on('event', (e: TillEvent) => events.push(e));
  const t: TestCore = {
    get core() {
      return core;
    },
    dataDir,
    clock,
    provider,
    events,
    async login(pin = PINS.cashier) {
      const r = await core.call('auth.login', { pin }, {});
      if (!r.ok) throw new Error(`login failed: ${r.error.code}`);
      return r.token;
    },
    async ok(method, input, token) {
      const r = await core.call(method, input, { token });
      if (!r.ok) throw new Error(`${method} failed: ${r.error.code} ${r.error.message}`);
      return r as never;
    },
    async fail(method, input, token) {
      const r = await core.call(method, input, { token });
      if (r.ok) throw new Error(`${method} unexpectedly succeeded`);
      return r.error;
    },
    reopen(more = {}) {
      core.close();
      core = openTerminalCore({ ...options(), ...more });
      core.events.on('event', (e: TillEvent) => events.push(e));
    },
    cleanup() {
      core.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  } as TestCore;
  return t;
}
