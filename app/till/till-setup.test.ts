// The wizard's LAN search as the till answers it (both shells share this): one search at a time,
// answers reused for a few seconds so a held-down F5 does not flood the store network, a failed
// search said as DISCOVERY_UNAVAILABLE and tried afresh next time. The search itself is a
// stand-in here (named so); the real mDNS path is test/sync/hub-discovery.test.ts.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createTillSetup, type LanHub } from './till-setup';

const hub: LanHub = {
  name: 'EdgePOS hub S001 HS001',
  storeId: 'S001',
  hubId: 'HS001',
  url: 'http://192.168.1.10:8791',
};

function setupWith(findHubs?: () => Promise<LanHub[]>) {
  return createTillSetup({
    dataDir: mkdtempSync(join(tmpdir(), 'till-setup-')),
    logger: pino({ level: 'silent' }),
    current: () => {
      throw new Error('the LAN search does not need the till');
    },
    reopen: async () => {},
    ...(findHubs ? { findHubs } : {}),
  });
}

describe("the wizard's LAN search for hubs", () => {
  it('lists what the search found, and reuses a fresh answer instead of searching again', async () => {
    let searches = 0;
    const setup = setupWith(async () => {
      searches++;
      return [hub];
    });
    const a = await setup.handle('hubs', 'GET', {});
    const b = await setup.handle('hubs', 'GET', {});
    expect(a).toEqual({ status: 200, body: { ok: true, hubs: [hub] } });
    expect(b).toEqual(a);
    expect(searches).toBe(1);
  });

  it('says DISCOVERY_UNAVAILABLE when the search fails, and searches afresh next time', async () => {
    let searches = 0;
    const setup = setupWith(async () => {
      searches++;
      if (searches === 1) throw new Error('multicast DNS: bind EADDRINUSE 0.0.0.0:5353');
      return [hub];
    });
    expect(await setup.handle('hubs', 'GET', {})).toMatchObject({
      status: 503,
      body: { ok: false, error: { code: 'DISCOVERY_UNAVAILABLE' } },
    });
    expect(await setup.handle('hubs', 'GET', {})).toMatchObject({ status: 200, body: { hubs: [hub] } });
    expect(searches).toBe(2);
  });

  it('says DISCOVERY_UNAVAILABLE on a till that cannot search, and 404 for an unknown action', async () => {
    const setup = setupWith();
    expect(await setup.handle('hubs', 'GET', {})).toMatchObject({
      status: 503,
      body: { error: { code: 'DISCOVERY_UNAVAILABLE' } },
    });
    expect(await setup.handle('hubs', 'POST', {})).toMatchObject({ status: 404 });
    expect(await setup.handle('nope', 'GET', {})).toMatchObject({
      status: 404,
      body: { error: { code: 'NOT_FOUND' } },
    });
  });

  it('refuses to pair a till paired by its environment, before reading anything', async () => {
    const setup = createTillSetup({
      dataDir: mkdtempSync(join(tmpdir(), 'till-setup-')),
      envSync: { hubUrl: 'http://127.0.0.1:9', enrollCode: 'X' },
      logger: pino({ level: 'silent' }),
      current: () => {
        throw new Error('not needed');
      },
      reopen: async () => {},
    });
    expect(setup.plan()).toEqual({ pairing: null, open: {} });
    expect(await setup.handle('pair', 'POST', { hubUrl: 'http://127.0.0.1:9', code: 'ABCD-1234' })).toMatchObject({
      status: 409,
      body: { error: { code: 'PAIRED_BY_ENVIRONMENT' } },
    });
  });
});
