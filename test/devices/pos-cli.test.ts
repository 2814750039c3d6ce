// The technician CLI as a person runs it: `npx pos ...` from the repo root, against the
// printer emulator on TCP and a serial scanner emulator over a PTY pair.
import { execFile, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import {
  createDeviceTables,
  createPtyPair,
  DeviceConfigStore,
  PrinterEmulator,
  SerialScannerEmulator,
  type PtyPair,
} from '../../drivers';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../..');
const pos = async (...args: string[]) => {
  try {
    const { stdout } = await run(process.execPath, [join(root, 'bin/pos.mjs'), ...args, '--json'], {
      cwd: root,
      timeout: 30_000,
    });
    return { code: 0, json: JSON.parse(stdout.trim().split('\n').at(-1)!) };
  } catch (e) {
    const err = e as { code: number; stdout: string };
    return { code: err.code, json: JSON.parse(err.stdout.trim().split('\n').at(-1)!) };
  }
};

let emu: PrinterEmulator;
beforeAll(async () => {
  emu = new PrinterEmulator({ port: 0 });
  await emu.start();
});
afterAll(async () => {
  await emu.stop();
});

describe('pos CLI', () => {
  it('`npx pos devices --json` works from the repo root', async () => {
    const { stdout } = await run('npx', ['pos', 'devices', '--json'], { cwd: root, timeout: 60_000 });
    const last = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(last.ok).toBe(true);
    expect(Array.isArray(last.devices)).toBe(true);
  });

  it("devices --db lists the till's configured devices and probes its network printer", async () => {
    const dbPath = join(mkdtempSync(join(tmpdir(), 'pos-cli-db-')), 'terminal.db');
    const db = new Database(dbPath);
    createDeviceTables(db);
    new DeviceConfigStore(db, 'T09').upsert({ deviceId: 'receipt', kind: 'printer', uri: emu.uri! });
    db.close();
    const r = await pos('devices', '--db', dbPath, '--terminal', 'T09');
    expect(r.json.configured).toEqual([
      { deviceId: 'receipt', kind: 'printer', uri: emu.uri!, options: {}, enabled: true },
    ]);
    expect(r.json.devices).toContainEqual(expect.objectContaining({ uri: emu.uri!, reachable: true }));
  });

  it('test-print and drawer against the emulator over TCP', async () => {
    const p = await pos('test-print', '--printer', emu.uri!, '--width', '58');
    expect(p).toMatchObject({ code: 0, json: { ok: true, status: 'ok', width: 58 } });
    expect(emu.receipts.at(-1)!.text).toContain('TEST-PRINT');
    const d = await pos('drawer', '--printer', emu.uri!, '--pin', '5', '--pulse', '80');
    expect(d.json).toMatchObject({ ok: true, pin: 5, pulseMs: 80 });
    expect(emu.drawerKicks).toBe(1);
  });

  it('test-print refuses with a plain message when the cover is open', async () => {
    emu.setStatus({ coverOpen: true });
    const p = await pos('test-print', '--printer', emu.uri!);
    emu.setStatus({ coverOpen: false });
    expect(p.code).toBe(1);
    expect(p.json).toMatchObject({
      ok: false,
      status: 'cover_open',
      message: 'Printer cover is open. Close the cover to continue.',
    });
  });

  it('rejects a bad URI with a clear error', async () => {
    const p = await pos('test-print', '--printer', 'lpt1:');
    expect(p.code).toBe(1);
    expect(p.json.error.message).toMatch(/Invalid device URI/);
  });

  it('test-scan waits for one scan and checks the check digit', async () => {
    let pty: PtyPair | null = await createPtyPair();
    const scanner = new SerialScannerEmulator(pty.a);
    await scanner.open();
    try {
      const pending = pos('test-scan', '--scanner', `serial:${pty.b}?baud=9600`, '--timeout', '10');
      // The CLI needs a moment to start and open the port; send until it has answered.
      let result: Awaited<typeof pending> | null = null;
      void pending.then((r) => {
        result = r;
      });
      const codes = ['6901234567892', '6901234567893'];
      for (let i = 0; i < 100 && !result; i++) {
        await new Promise((r) => setTimeout(r, 100));
        if (i % 10 === 9) await scanner.scan(codes[0]!, ']E0');
      }
      const good = await pending;
      expect(good.json).toMatchObject({
        ok: true,
        code: '6901234567892',
        symbology: ']E0',
        kind: 'gtin',
        gtin: '06901234567892',
        checkDigitValid: true,
      });

      const pending2 = pos('test-scan', '--scanner', `serial:${pty.b}?baud=9600`, '--timeout', '10');
      let r2: unknown = null;
      void pending2.then((r) => {
        r2 = r;
      });
      for (let i = 0; i < 100 && !r2; i++) {
        await new Promise((r) => setTimeout(r, 100));
        if (i % 10 === 9) await scanner.scan(codes[1]!);
      }
      expect((await pending2).json).toMatchObject({
        ok: true,
        code: '6901234567893',
        kind: 'invalid',
        checkDigitValid: false,
        reason: 'check-digit',
      });
    } finally {
      await scanner.close();
      await pty.close();
      pty = null;
    }
  });

  it('test-scan times out with a clear result', async () => {
    const pty = await createPtyPair();
    const p = await pos('test-scan', '--scanner', `serial:${pty.b}`, '--timeout', '1');
    await pty.close();
    expect(p.code).toBe(1);
    expect(p.json.error.code).toBe('SCAN_TIMEOUT');
  });

  it('emulate display: a pole display on TCP shows the rows the bytes draw', async () => {
    const child = spawn(
      process.execPath,
      [join(root, 'bin/pos.mjs'), 'emulate', 'display', '--port', '0', '--ascii', '--json'],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
    });
    try {
      const ready = await new Promise<{ uri: string }>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no ready line: ${out}`)), 30_000);
        child.stdout!.on('data', () => {
          const line = out.split('\n').find((l) => l.startsWith('{"ready"'));
          if (line) {
            clearTimeout(t);
            resolve(JSON.parse(line));
          }
        });
      });
      const { hostname, port } = new URL(ready.uri.replace('tcp://', 'http://'));
      const sock = connect(Number(port), hostname);
      await new Promise<void>((r) => sock.once('connect', () => r()));
      // ESC @ (init), FF (clear), US $ 1 1 + text, US $ 1 2 + text.
      sock.write(
        Buffer.concat([
          Buffer.from([0x1b, 0x40, 0x0c, 0x1f, 0x24, 1, 1]),
          Buffer.from('APPLE x2'),
          Buffer.from([0x1f, 0x24, 1, 2]),
          Buffer.from('TOTAL 12.30'),
        ]),
      );
      await new Promise((r) => setTimeout(r, 300));
      sock.end();
      const exit = new Promise<number | null>((r) => child.once('exit', r));
      await new Promise((r) => setTimeout(r, 200));
      child.kill('SIGTERM');
      expect(await exit).toBe(0);
      const last = JSON.parse(out.trim().split('\n').at(-1)!);
      expect(last.ok).toBe(true);
      expect(last.rows.map((r: string) => r.trimEnd())).toEqual(['APPLE x2', 'TOTAL 12.30']);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
