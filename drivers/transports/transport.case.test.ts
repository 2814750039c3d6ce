// Shared contract suite: every Transport implementation must behave the same way for the
// drivers above it — open, write, receive, notice an unplug with a 'close' event, refuse
// writes while closed, and open again after the device comes back.
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { describe, expect, it } from 'vitest';
import { createPtyPair, type PtyPair } from '../emulators';
import { MockHidBinding } from './hid';
import { MockTransport } from './mock-transport';
import { createTransport } from './open-transport';
import type { Transport } from './transport';

interface Rig {
  transport: Transport;
  /** Bytes (or one report) from the device to the host. */
  farSend?: (b: Buffer) => Promise<void> | void;
  /** Everything the far end received so far. */
  farReceived: () => Buffer;
  unplug?: () => Promise<void> | void;
  replug?: () => Promise<void> | void;
  cleanup: () => Promise<void> | void;
}

const until = async (cond: () => boolean, ms = 4000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

const rigs: Record<string, () => Promise<Rig>> = {
  tcp: async () => {
    const got: Buffer[] = [];
    const socks: Socket[] = [];
    const server: Server = createServer((s) => {
      socks.push(s);
      s.on('data', (d) => got.push(d));
      s.on('error', () => {});
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    return {
      transport: createTransport(`tcp://127.0.0.1:${port}`),
      farSend: (b) => {
        socks.at(-1)!.write(b);
      },
      farReceived: () => Buffer.concat(got),
      unplug: () => {
        for (const s of socks) s.destroy();
      },
      cleanup: () =>
        new Promise<void>((r) => {
          for (const s of socks) s.destroy();
          server.close(() => r());
        }),
    };
  },
  serial: async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pos-case-'));
    let pty: PtyPair = await createPtyPair(dir);
    const got: Buffer[] = [];
    let far: SerialPort | null = null;
    const openFar = async () => {
      far = new SerialPort({ path: pty.a, baudRate: 9600 });
      far.on('data', (d: Buffer) => got.push(d));
      far.on('error', () => {});
      await new Promise((r) => far!.once('open', r));
    };
    await openFar();
    return {
      transport: createTransport(`serial:${pty.b}?baud=9600`),
      farSend: (b) => new Promise<void>((r) => far!.write(b, () => far!.drain(() => r()))),
      farReceived: () => Buffer.concat(got),
      // A pulled USB-serial adapter: the tty disappears (socat exits, the PTYs vanish).
      unplug: async () => {
        await pty.close();
      },
      replug: async () => {
        pty = await createPtyPair(dir);
        await openFar();
      },
      cleanup: async () => {
        if (far?.isOpen) await new Promise((r) => far!.close(r));
        await pty.close();
      },
    };
  },
  usb: async () => {
    const f = join(mkdtempSync(join(tmpdir(), 'pos-case-')), 'lp0');
    execFileSync('mkfifo', [f]);
    const got: Buffer[] = [];
    const transport = createTransport(`usb:${f}`);
    let reader: ReturnType<typeof createReadStream> | null = null;
    return {
      transport,
      farReceived: () => {
        if (!reader) {
          reader = createReadStream(f);
          reader.on('data', (d) => got.push(d as Buffer));
        }
        return Buffer.concat(got);
      },
      cleanup: () => {
        reader?.destroy();
      },
    };
  },
  hid: async () => {
    const hid = new MockHidBinding();
    hid.addDevice({ vendorId: 0x0c2e, productId: 0x0b87 });
    return {
      transport: createTransport('hid:0c2e:0b87', { hid }),
      farSend: (b) => hid.emitReport(0x0c2e, 0x0b87, b),
      farReceived: () => Buffer.concat(hid.handle(0x0c2e, 0x0b87)?.written ?? []),
      unplug: () => hid.unplug(0x0c2e, 0x0b87),
      replug: () => hid.addDevice({ vendorId: 0x0c2e, productId: 0x0b87 }),
      cleanup: () => {},
    };
  },
  mock: async () => {
    const t = new MockTransport();
    return {
      transport: t,
      farSend: (b) => t.feed(b),
      farReceived: () => t.allWritten(),
      unplug: () => t.unplug(),
      replug: () => {},
      cleanup: () => {},
    };
  },
};

describe.each(Object.keys(rigs))('Transport contract: %s', (name) => {
  it('opens, writes, receives, notices an unplug, refuses writes, and reopens', async () => {
    const rig = await rigs[name]!();
    const t = rig.transport;
    const data: Buffer[] = [];
    const closes: (Error | null)[] = [];
    t.on('data', (d) => data.push(d));
    t.on('close', (e) => closes.push(e));
    try {
      expect(t.isOpen).toBe(false);
      await expect(t.write(Buffer.from('x'))).rejects.toThrow(/not connected/);
      await t.open();
      expect(t.isOpen).toBe(true);
      rig.farReceived();
      await t.write(Buffer.from([0x1b, 0x40, 0x41]));
      await until(() => rig.farReceived().length >= 3);
      expect(rig.farReceived().subarray(-3).toString('hex')).toBe('1b4041');
      if (rig.farSend) {
        await rig.farSend(Buffer.from('OK'));
        await until(() => Buffer.concat(data).length >= 2);
        expect(Buffer.concat(data).toString()).toBe('OK');
      }
      if (rig.unplug) {
        await rig.unplug();
        await until(() => closes.length === 1);
        expect(t.isOpen).toBe(false);
        await expect(t.write(Buffer.from('y'))).rejects.toThrow();
        await rig.replug?.();
        await t.open();
        expect(t.isOpen).toBe(true);
        await t.write(Buffer.from('Z'));
        await until(() => rig.farReceived().includes(Buffer.from('Z')));
      }
      await t.close();
      expect(t.isOpen).toBe(false);
    } finally {
      await t.close().catch(() => {});
      await rig.cleanup();
    }
  });
});
