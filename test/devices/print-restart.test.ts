// A till process is SIGKILLed with a receipt still queued (printer off); after restart the
// receipt prints, exactly once.
import { spawn, type ChildProcess } from 'node:child_process';
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { PrinterEmulator } from '../../drivers';

const root = join(import.meta.dirname, '../..');
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

function till(
  dbPath: string,
  uri: string,
  mode?: string,
): { child: ChildProcess; next: (event: string) => Promise<Record<string, unknown>> } {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'print-child.ts'), dbPath, uri, ...(mode ? [mode] : [])],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.push(child);
  const events: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  createInterface({ input: child.stdout! }).on('line', (l) => {
    try {
      events.push(JSON.parse(l));
      waiters.splice(0).forEach((w) => w());
    } catch {
      /* not ours */
    }
  });
  const next = async (event: string) => {
    const end = Date.now() + 20_000;
    for (;;) {
      const e = events.find((x) => x.event === event);
      if (e) return e;
      if (Date.now() > end || child.exitCode !== null) throw new Error(`no ${event} from child`);
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 200);
      });
    }
  };
  return { child, next };
}

describe('print queue across a process kill', () => {
  it('prints a receipt queued before SIGKILL after restart, once', async () => {
    const emu = new PrinterEmulator({ port: 0 });
    await emu.start();
    const uri = emu.uri!;
    await emu.unplug(); // printer switched off: connections refused
    const dbPath = join(mkdtempSync(join(tmpdir(), 'pos-kill-')), 'till.db');

    const first = till(dbPath, uri, '--enqueue');
    const queued = await first.next('queued');
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    expect(emu.receipts).toHaveLength(0);

    await emu.plug();
    const second = till(dbPath, uri);
    const printed = await second.next('printed');
    expect(printed.jobId).toBe(queued.jobId);
    await new Promise((r) => setTimeout(r, 500));
    second.child.kill('SIGKILL');
    await emu.stop();

    expect(emu.receipts.filter((r) => r.text.includes('KILL-1'))).toHaveLength(1);
    const db = new Database(dbPath, { readonly: true });
    expect(db.prepare('SELECT state, attempts FROM device_print_jobs').all()).toEqual([{ state: 'done', attempts: 1 }]);
    db.close();
  });
});
