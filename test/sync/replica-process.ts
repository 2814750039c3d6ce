// A stand-in terminal for cross-process sync tests (until the terminal web host runs sync):
// a SQLite replica with the sync outbox and client, recording sales the way the core will
// (domain row + ops in one transaction). A small control API on 127.0.0.1 lets the test sell
// and read state. Env: DATA_DIR, NODE_ID, STORE_ID, HUB_URL, CLOUD_URL, ENROLL_CODE.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { createSyncClient } from '../../sync';

const env = process.env;
const storeId = env['STORE_ID'] ?? 'S1';
const db = new Database(join(env['DATA_DIR']!, 'terminal.db'));
db.pragma('journal_mode = WAL');
db.exec('CREATE TABLE IF NOT EXISTS sale (id TEXT PRIMARY KEY, total INTEGER NOT NULL, created_at TEXT NOT NULL)');
const sync = createSyncClient({
  db, storeId, nodeId: env['NODE_ID']!, enrollCode: env['ENROLL_CODE']!,
  hubUrl: env['HUB_URL'] || null, cloudUrl: env['CLOUD_URL'] || null,
  log: pino({ level: env['LOG_LEVEL'] ?? 'silent' }),
  intervalMs: Number(env['SYNC_INTERVAL_MS'] ?? 300),
  maxBackoffMs: Number(env['SYNC_MAX_BACKOFF_MS'] ?? 1000),
});
const { outbox } = sync;

const sell = db.transaction((lines: { sku: string; qty: number }[]) => {
  const id = randomUUID();
  const total = lines.reduce((s, l) => s + l.qty * 100, 0);
  db.prepare('INSERT INTO sale (id, total, created_at) VALUES (?, ?, ?)').run(id, total, new Date().toISOString());
  outbox.append([
    outbox.ops.fact(`store:${storeId}`, 'sale', id, { total, lines }),
    ...lines.map((l) => outbox.ops.move(storeId, l.sku, 'sale', l.qty, id)),
  ]);
  return id;
});
const receive = db.transaction((lines: { sku: string; qty: number }[]) => {
  outbox.append(lines.map((l) => outbox.ops.move(storeId, l.sku, 'receive', l.qty)));
});

async function readBody(req: import('node:http').IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
}

const server = createServer((req, res) => {
  void (async () => {
    try {
      let out: unknown;
      if (req.url === '/sell') {
        const body = await readBody(req);
        const ids: string[] = [];
        for (let i = 0; i < (body.count ?? 1); i++) ids.push(sell(body.lines));
        out = { ids };
      } else if (req.url === '/receive') {
        receive((await readBody(req)).lines);
        out = {};
      } else if (req.url === '/state') {
        out = {
          sales: await outbox.storage.factIds('sale', `store:${storeId}`),
          localSales: (db.prepare('SELECT count(*) AS c FROM sale').get() as { c: number }).c,
          stock: await outbox.storage.stockAll(storeId),
          digests: await outbox.storage.digests(['chain', `store:${storeId}`]),
          status: await sync.status(),
        };
      } else if (req.url === '/repair') {
        out = await sync.repair();
      } else {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(out));
    } catch (err) {
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: (err as Error).message }));
    }
  })();
});
server.listen(0, '127.0.0.1', () => {
  sync.start();
  console.log(JSON.stringify({ ready: true, port: (server.address() as AddressInfo).port }));
});
process.on('SIGTERM', () => {
  void sync.stop().then(() => { db.close(); process.exit(0); });
});
