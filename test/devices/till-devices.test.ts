// The till's device methods end to end below the UI: a real SQLite file, the printer emulator
// on a real TCP socket and the scale emulator on a real PTY pair (socat), reached through the
// core's RPC with real PIN logins. Weight (settled, unstable, negative, overload, silent scale),
// the no-sale drawer kick (bytes the printer receives, manager PIN, audit), the test print
// (decoded by the emulator), setup validation, role checks and configuration across a restart.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceView, MethodName } from '../../app/contract';
import { openTill, type Till } from '../../app/till';
import { createPtyPair, PrinterEmulator, ScaleEmulator, type PtyPair } from '../../drivers';

const logger = pino({ level: 'silent' });
type Reply =
  ({ ok: true } & Record<string, unknown>) | { ok: false; error: { code: string; message: string; details?: unknown } };

async function call(till: Till, method: string, input: unknown, token: string): Promise<Reply> {
  return (await till.core.call(method as MethodName, input as never, { token })) as unknown as Reply;
}
async function ok<T = Record<string, unknown>>(till: Till, method: string, input: unknown, token: string): Promise<T> {
  const r = await call(till, method, input, token);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r as unknown as T;
}
async function fails(
  till: Till,
  method: string,
  input: unknown,
  token: string,
): Promise<{ code: string; message: string; details?: unknown }> {
  const r = await call(till, method, input, token);
  if (r.ok) throw new Error(`${method} should have failed`);
  return r.error;
}
async function login(till: Till, pin: string): Promise<string> {
  return (await ok<{ token: string }>(till, 'auth.login', { pin }, '')).token;
}
async function until<T>(
  what: string,
  fn: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  ms = 20_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
const listed = async (till: Till, token: string) =>
  (await ok<{ devices: DeviceView[] }>(till, 'devices.list', {}, token)).devices;
const deviceOk = (till: Till, token: string, id: string) =>
  until(`${id} ok`, async () => (await listed(till, token)).find((d) => d.id === id && d.status === 'ok'));

describe('till devices: scale, drawer, test print, setup', () => {
  let dataDir: string;
  let printer: PrinterEmulator;
  let pty: PtyPair;
  let scale: ScaleEmulator;
  let till: Till;
  let tech: string, cashier: string, manager: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'pos-till-devices-'));
    printer = new PrinterEmulator({ port: 0 });
    await printer.start();
    pty = await createPtyPair();
    scale = new ScaleEmulator(pty.a);
    await scale.open();
    till = await openTill({ dataDir, seedDemo: true, devices: 'configured', printer: printer.uri!, logger });
    [tech, cashier, manager] = [await login(till, '7777'), await login(till, '1234'), await login(till, '8888')];
  });
  afterAll(async () => {
    await till?.close();
    await scale?.close();
    await pty?.close();
    await printer?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('a technician adds the scale; the list shows it with its status next to the printer', async () => {
    const r = await ok<{ devices: DeviceView[] }>(
      till,
      'devices.configure',
      { deviceId: 'scale', kind: 'scale', uri: `serial:${pty.b}?baud=9600` },
      tech,
    );
    expect(r.devices.find((d) => d.id === 'scale')).toMatchObject({ kind: 'scale', configured: true, emulated: false });
    const s = await deviceOk(till, tech, 'scale');
    expect(s.message).toBeNull();
    const p = (await listed(till, manager)).find((d) => d.id === 'receipt-printer')!;
    expect(p).toMatchObject({ kind: 'printer', uri: printer.uri, configured: true, emulated: false });
    const audit = await ok<{
      entries: { action: string; staff: { role: string } | null; detail: Record<string, unknown> }[];
    }>(till, 'audit.list', {}, manager);
    expect(
      audit.entries.find((e) => e.action === 'device.configure' && e.detail.deviceId === 'scale')?.staff?.role,
    ).toBe('technician');
  });

  it('reads a settled weight from the scale for the cashier', async () => {
    scale.setWeight(1234);
    const r = await ok<{ weight: { deviceId: string; grams: number; stable: boolean } }>(
      till,
      'devices.readWeight',
      {},
      cashier,
    );
    expect(r.weight).toMatchObject({ deviceId: 'scale', grams: 1234, stable: true });
    scale.setWeight(87);
    expect((await ok<{ weight: { grams: number } }>(till, 'devices.readWeight', {}, cashier)).weight.grams).toBe(87);
  });

  it('an unstable weight is WEIGHT_UNSTABLE in plain words, and a retry after it settles works', async () => {
    scale.setWeight(500, false);
    const e = await fails(till, 'devices.readWeight', {}, cashier);
    expect(e.code).toBe('WEIGHT_UNSTABLE');
    expect(e.message).toContain('not stable');
    expect(e.message).not.toMatch(/[\u4e00-\u9fff]/); // the screen translates the code
    scale.setWeight(500, true);
    expect((await ok<{ weight: { grams: number } }>(till, 'devices.readWeight', {}, cashier)).weight.grams).toBe(500);
  });

  it('a negative, empty or overloaded scale is WEIGHT_INVALID', async () => {
    scale.setWeight(-40);
    const neg = await fails(till, 'devices.readWeight', {}, cashier);
    expect(neg).toMatchObject({ code: 'WEIGHT_INVALID', details: { reason: 'negative' } });
    expect(neg.message).toMatch(/below zero/);
    scale.setWeight(0);
    expect(await fails(till, 'devices.readWeight', {}, cashier)).toMatchObject({
      code: 'WEIGHT_INVALID',
      details: { reason: 'zero' },
    });
    scale.setWeight(3000);
    scale.overload = true;
    expect(await fails(till, 'devices.readWeight', {}, cashier)).toMatchObject({
      code: 'WEIGHT_INVALID',
      details: { reason: 'overload' },
    });
    scale.overload = false;
  });

  it('a scale that does not answer is DEVICE_UNAVAILABLE "scale does not answer"; it works again when it answers', async () => {
    scale.silent = true;
    const e = await fails(till, 'devices.readWeight', {}, cashier);
    expect(e.code).toBe('DEVICE_UNAVAILABLE');
    expect(e).toMatchObject({ details: { reason: 'no-answer' } });
    expect(e.message).toContain('scale does not answer');
    scale.silent = false;
    scale.setWeight(250);
    expect((await ok<{ weight: { grams: number } }>(till, 'devices.readWeight', {}, cashier)).weight.grams).toBe(250);
  });

  it('garbage from the scale is skipped: the next reading still works', async () => {
    scale.sendRaw('\x00\x01zz garbage ###\r\nST,GS,+ 9x.9kg\r\n');
    scale.setWeight(321);
    expect((await ok<{ weight: { grams: number } }>(till, 'devices.readWeight', {}, cashier)).weight.grams).toBe(321);
  });

  it('a test print goes through the durable queue and the printer emulator decodes it', async () => {
    await deviceOk(till, manager, 'receipt-printer');
    const got = new Promise<{ text: string }>((resolve) => printer.once('receipt', resolve));
    const { jobId } = await ok<{ jobId: string }>(till, 'devices.testPrint', {}, manager);
    expect(jobId).toMatch(/^[0-9a-f-]{36}$/);
    const paper = (await got).text;
    expect(paper).toContain('TEST PRINT');
    expect(paper).toContain('测试打印');
    expect(paper).toContain('receipt-printer');
    expect(paper).toContain(printer.uri!);
    await until('job done', () => till.hub!.jobs.get(jobId)?.state === 'done');
    const audit = await ok<{ entries: { action: string; detail: Record<string, unknown> }[] }>(
      till,
      'audit.list',
      {},
      manager,
    );
    expect(audit.entries.some((e) => e.action === 'device.testPrint' && e.detail.jobId === jobId)).toBe(true);
    // Only printers print: asking a scale for a test page is refused in words.
    expect((await fails(till, 'devices.testPrint', { deviceId: 'scale' }, tech)).code).toBe('NOT_FOUND');
  });

  it('opens the drawer without a sale: ESC p with the configured pin and pulse reaches the printer; audited', async () => {
    await ok(
      till,
      'devices.configure',
      { deviceId: 'receipt-printer', kind: 'printer', uri: printer.uri!, options: { pin: 5, pulseMs: 120 } },
      tech,
    );
    await deviceOk(till, manager, 'receipt-printer');
    const kicks = printer.drawerKicks;
    const kicked = new Promise<{ pin: number; onMs: number }>((resolve) => printer.once('drawer', resolve));
    await ok(till, 'devices.openDrawer', { reason: '找零 change for a customer' }, manager);
    expect(await kicked).toMatchObject({ pin: 5, onMs: 120 });
    expect(printer.drawerKicks).toBe(kicks + 1);
    const audit = await ok<{
      entries: { action: string; staff: { role: string } | null; detail: Record<string, unknown> }[];
    }>(till, 'audit.list', {}, manager);
    const entry = audit.entries.find((e) => e.action === 'drawer.open');
    expect(entry).toMatchObject({ staff: { role: 'manager' }, detail: { reason: '找零 change for a customer' } });
  });

  it('a cashier needs a manager PIN for a no-sale; with it the drawer opens and the approver is audited', async () => {
    const kicks = printer.drawerKicks;
    expect((await fails(till, 'devices.openDrawer', { reason: 'no sale' }, cashier)).code).toBe('MANAGER_REQUIRED');
    expect((await fails(till, 'devices.openDrawer', { reason: 'no sale' }, tech)).code).toBe('MANAGER_REQUIRED');
    expect((await fails(till, 'devices.openDrawer', { reason: 'no sale', managerPin: '1234' }, cashier)).code).toBe(
      'WRONG_PIN',
    );
    expect(printer.drawerKicks).toBe(kicks);
    const kicked = new Promise((resolve) => printer.once('drawer', resolve));
    await ok(till, 'devices.openDrawer', { reason: 'no sale', managerPin: '8888' }, cashier);
    await kicked;
    const audit = await ok<{
      entries: {
        action: string;
        staff: { role: string } | null;
        approvedBy: { role: string } | null;
        detail: Record<string, unknown>;
      }[];
    }>(till, 'audit.list', {}, manager);
    expect(audit.entries.find((e) => e.action === 'drawer.open' && e.detail.reason === 'no sale')).toMatchObject({
      staff: { role: 'cashier' },
      approvedBy: { role: 'manager' },
    });
  });

  it('refuses the kick in plain words when the printer cover is open or the printer is gone', async () => {
    const kicks = printer.drawerKicks;
    printer.setStatus({ coverOpen: true });
    const cover = await fails(till, 'devices.openDrawer', { reason: 'no sale' }, manager);
    expect(cover.code).toBe('DEVICE_ERROR');
    expect(cover).toMatchObject({ details: { reason: 'cover_open' } });
    expect(cover.message).toMatch(/cover is open/);
    printer.setStatus({ coverOpen: false });
    await deviceOk(till, manager, 'receipt-printer');
    printer.unplug();
    const gone = await until('printer seen as gone', async () => {
      const e = await fails(till, 'devices.openDrawer', { reason: 'no sale' }, manager).catch(() => null);
      return e && e.code === 'DEVICE_UNAVAILABLE' ? e : null;
    });
    expect(gone.message).toMatch(/printer/i);
    expect(printer.drawerKicks).toBe(kicks);
    printer.plug();
    await deviceOk(till, manager, 'receipt-printer');
  });

  it('checks what a technician types and who may set devices up', async () => {
    const before = await listed(till, tech);
    const bad = async (input: unknown, pattern: RegExp) => {
      const e = await fails(till, 'devices.configure', input, tech);
      expect(e.code).toBe('BAD_INPUT');
      expect(e.message).toMatch(pattern);
    };
    await bad({ deviceId: 'scale2', kind: 'scale', uri: `serial:${pty.b}?baud=1234` }, /baud must be one of/);
    await bad({ deviceId: 'scale2', kind: 'scale', uri: 'hid:0c2e:0b87' }, /cannot use a hid URI/);
    await bad(
      { deviceId: 'p2', kind: 'printer', uri: 'tcp://127.0.0.1:9100', options: { width: 70 } },
      /width must be 58 or 80/,
    );
    await bad(
      { deviceId: 'p2', kind: 'printer', uri: 'tcp://127.0.0.1:9100', options: { colour: 'red' } },
      /no option "colour"/,
    );
    await bad({ deviceId: 'Bad Id', kind: 'printer', uri: 'tcp://127.0.0.1:9100' }, /device id/);
    expect((await listed(till, tech)).filter((d) => d.configured)).toEqual(
      before.filter((d) => d.configured).map((d) => expect.objectContaining({ id: d.id, uri: d.uri })),
    );
    for (const [method, input] of [
      ['devices.configure', { deviceId: 'x', kind: 'scale', uri: `serial:${pty.b}` }],
      ['devices.remove', { deviceId: 'scale' }],
      ['devices.list', {}],
      ['devices.testPrint', {}],
    ] as const) {
      expect((await fails(till, method, input, cashier)).code).toBe('FORBIDDEN');
    }
    expect(
      (await fails(till, 'devices.configure', { deviceId: 'x', kind: 'scale', uri: `serial:${pty.b}` }, manager)).code,
    ).toBe('FORBIDDEN');
    expect((await fails(till, 'devices.remove', { deviceId: 'nothing-here' }, tech)).code).toBe('NOT_FOUND');
  });

  it("gives the customer display path with this start's key", async () => {
    const r = await ok<{ path: string }>(till, 'display.link', {}, cashier);
    expect(r.path).toBe(`/display/#key=${till.displayKey}`);
  });

  it('keeps the configuration across a restart; removing the scale makes weighing DEVICE_UNAVAILABLE', async () => {
    await till.close();
    till = await openTill({ dataDir, seedDemo: true, devices: 'configured', logger });
    [tech, cashier, manager] = [await login(till, '7777'), await login(till, '1234'), await login(till, '8888')];
    const after = await listed(till, tech);
    expect(after.find((d) => d.id === 'scale')).toMatchObject({ uri: `serial:${pty.b}?baud=9600`, configured: true });
    expect(after.find((d) => d.id === 'receipt-printer')?.options).toEqual({ pin: 5, pulseMs: 120 });
    await deviceOk(till, tech, 'scale');
    await deviceOk(till, tech, 'receipt-printer');
    scale.setWeight(777);
    expect((await ok<{ weight: { grams: number } }>(till, 'devices.readWeight', {}, cashier)).weight.grams).toBe(777);
    // The drawer options survived too.
    const kicked = new Promise<{ pin: number; onMs: number }>((resolve) => printer.once('drawer', resolve));
    await ok(till, 'devices.openDrawer', { reason: 'after restart' }, manager);
    expect(await kicked).toMatchObject({ pin: 5, onMs: 120 });

    const r = await ok<{ devices: DeviceView[] }>(till, 'devices.remove', { deviceId: 'scale' }, tech);
    expect(r.devices.some((d) => d.id === 'scale')).toBe(false);
    const e = await fails(till, 'devices.readWeight', {}, cashier);
    expect(e.code).toBe('DEVICE_UNAVAILABLE');
    expect(e.message).toContain('No scale is set up');
  });
});

describe('till without devices', () => {
  it('answers the device methods with DEVICE_UNAVAILABLE in plain words', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pos-till-nodev-'));
    const till = await openTill({ dataDir, seedDemo: true, devices: 'none', logger });
    try {
      const cashier = await login(till, '1234');
      const e = await fails(till, 'devices.readWeight', {}, cashier);
      expect(e.code).toBe('DEVICE_UNAVAILABLE');
      expect(e).toMatchObject({ details: { reason: 'no-devices' } });
      expect(e.message).toMatch(/devices/);
    } finally {
      await till.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('auto mode across restarts', () => {
  it('uses the built-in emulator again on the next start (marked emulated), even with a scale set up', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pos-till-auto-'));
    const pty = await createPtyPair();
    try {
      let till = await openTill({
        dataDir,
        seedDemo: true,
        devices: 'auto',
        scale: `serial:${pty.b}?baud=9600`,
        logger,
      });
      expect(till.emulator).not.toBeNull();
      await till.close();
      till = await openTill({ dataDir, seedDemo: true, devices: 'auto', logger });
      try {
        expect(till.emulator).not.toBeNull();
        const tech = await login(till, '7777');
        const devices = (await listed(till, tech)).filter((d) => d.configured);
        expect(devices.map((d) => [d.id, d.kind, d.emulated, d.uri])).toEqual([
          ['receipt-printer', 'printer', true, till.emulatedPrinterUri],
          ['scale', 'scale', false, `serial:${pty.b}?baud=9600`],
        ]);
        await deviceOk(till, tech, 'receipt-printer');
      } finally {
        await till.close();
      }
    } finally {
      await pty.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
