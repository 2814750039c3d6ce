// A till with sync on but nowhere to sync to (a closed loopback port): the cashier's banner
// gets a `sync.status` event with the error and the waiting count, and system.status agrees.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import type { TillEvent } from '../contract';
import { openTill, type Till } from './index';

let till: Till | undefined;
const dir = mkdtempSync(join(tmpdir(), 'pos-till-sync-'));
afterAll(async () => {
  await till?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('till sync status', () => {
  it('emits sync.status when the state changes and reports it in system.status', async () => {
    till = await openTill({
      dataDir: dir,
      seedDemo: true,
      storeId: 'S001',
      logger: pino({ level: 'silent' }),
      syncStatusIntervalMs: 200,
      sync: { cloudUrl: 'http://127.0.0.1:9', enrollCode: 'DEMO-S001-2026' },
    });
    const event = await new Promise<Extract<TillEvent, { type: 'sync.status' }>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no sync.status event')), 15_000);
      till!.core.events.on('event', (e: TillEvent) => {
        if (e.type === 'sync.status' && e.sync.state === 'error') {
          clearTimeout(timer);
          resolve(e);
        }
      });
    });
    // The demo seed's opening stock is waiting to be replicated.
    expect(event.sync.pendingOps).toBeGreaterThan(0);
    expect(event.sync.message).toMatch(/Offline/);
    const status = await till.core.call('system.status', {}, { internal: true });
    if (!status.ok) throw new Error(status.error.code);
    expect(status.sync.state).toBe('error');
    expect(status.sync.pendingOps).toBe(event.sync.pendingOps);
  });
});
