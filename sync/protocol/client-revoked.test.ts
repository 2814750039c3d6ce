// A device learns it was revoked from the code the server sends (REVOKED), never from the
// words: a server's message may say anything ("revoked" inside an unrelated error, or no such
// word at all), and the till's screen translates the reason into the cashier's language.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createSyncClient, type TerminalSync } from '../terminal';

/** A peer that pairs anyone, then refuses every sync request with the given error. */
async function refusingPeer(error: { code: string; message: string }): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url === '/sync/enroll') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            ok: true,
            token: 't',
            deviceId: 'T01',
            storeId: 'S1',
            role: 'terminal',
            read: ['store:S1'],
            write: ['store:S1'],
            publicKey: 'k',
          }),
        );
        return;
      }
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('sync status after a refusal', () => {
  const open: { sync: TerminalSync; server: Server }[] = [];
  afterEach(async () => {
    for (const o of open.splice(0)) {
      await o.sync.stop();
      o.server.close();
    }
  });

  async function statusAfter(error: { code: string; message: string }) {
    const { url, server } = await refusingPeer(error);
    const sync = createSyncClient({
      db: new Database(':memory:'),
      hubUrl: url,
      enrollCode: '123456',
      storeId: 'S1',
      terminalId: 'T01',
      intervalMs: 60_000,
      log: pino({ level: 'silent' }),
    });
    open.push({ sync, server });
    sync.start();
    await sync.syncNow().catch(() => {});
    return sync.status();
  }

  it('is "revoked" when the server answers code REVOKED, whatever its words', async () => {
    const s = await statusAfter({ code: 'REVOKED', message: 'device credential was replaced by a newer enrollment' });
    expect(s).toMatchObject({ state: 'error', reason: 'revoked' });
    expect(s.message).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it('is "offline", not "revoked", when another code merely mentions the word', async () => {
    const s = await statusAfter({ code: 'UNAUTHENTICATED', message: 'token expired (not revoked)' });
    expect(s).toMatchObject({ state: 'error', reason: 'offline' });
  });
});
