import { describe, expect, it } from 'vitest';
import { MockTransport } from '../transports';
import { BarcodeScanner } from '../scanner';
import { Reconnector } from './reconnector';

const scanner = (t = new MockTransport()) => ({ t, s: new BarcodeScanner('s1', t, { protocol: 'serial' }) });

describe('UnifiedPOS lifecycle', () => {
  it('goes open -> claim -> enable -> disable -> release -> close with one owner at a time', async () => {
    const { s } = scanner();
    await expect(s.claim('a')).rejects.toThrow(/open the device/);
    await s.open();
    await expect(s.enable('a')).rejects.toThrow(/claim the device first/);
    await s.claim('a');
    await expect(s.claim('b')).rejects.toThrow(/claimed by a/);
    await expect(s.enable('b')).rejects.toThrow(/claimed by a/);
    await s.enable('a');
    expect(s.state).toBe('enabled');
    await s.disable('a');
    await s.release('a');
    await s.claim('b');
    expect(s.owner).toBe('b');
    await s.close();
    expect([s.state, s.owner]).toEqual(['closed', null]);
  });

  it('an unplugged device closes itself and says so', async () => {
    const { t, s } = scanner();
    const seen: boolean[] = [];
    s.on('connection', (c) => seen.push(c));
    await s.start('till');
    t.unplug();
    expect([s.state, seen]).toEqual(['closed', [true, false]]);
  });
});

describe('Reconnector', () => {
  it('backs off exponentially with jitter, capped', () => {
    const r = new Reconnector(scanner().s, 'till', { minMs: 100, maxMs: 1000 }, () => 0.5);
    expect([0, 1, 2, 3, 4, 10].map((n) => r.nextDelay(n))).toEqual([100, 200, 400, 800, 1000, 1000]);
    const lo = new Reconnector(scanner().s, 'till', { minMs: 100 }, () => 0);
    expect(lo.nextDelay(0)).toBe(80);
  });

  it('keeps retrying a device that fails to open, and reconnects after an unplug', async () => {
    const { t, s } = scanner();
    t.failOpen = new Error('ENOENT');
    const r = new Reconnector(s, 'till', { minMs: 10, maxMs: 20 });
    r.start();
    expect(await r.waitConnected(60)).toBe(false);
    expect(r.lastError?.message).toBe('ENOENT');
    t.failOpen = null;
    expect(await r.waitConnected(1000)).toBe(true);
    t.unplug();
    expect(r.connected).toBe(false);
    expect(await r.waitConnected(1000)).toBe(true);
    expect(s.owner).toBe('till');
    await r.stop();
  });
});
