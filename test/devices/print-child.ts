// Child process for the restart test: a till that owns a device hub on the given SQLite file
// and printer URI. With --enqueue it queues one receipt; it prints a JSON line per event and
// runs until killed.
import Database from 'better-sqlite3';
import { createDeviceHub, sampleReceipt } from '../../drivers';

const [dbPath, printerUri, mode] = process.argv.slice(2) as [string, string, string?];
const db = new Database(dbPath);
db.pragma('journal_mode = WAL');
const hub = createDeviceHub({
  db,
  logger: { info() {}, warn() {}, error() {} },
  config: {
    terminalId: 'T01',
    backoff: { minMs: 50, maxMs: 200 },
    devices: [{ deviceId: 'printer', kind: 'printer', uri: printerUri }],
  },
});
hub.on('printed', (p) => console.log(JSON.stringify({ event: 'printed', ...p })));
await hub.start();
if (mode === '--enqueue') {
  const r = hub.printReceipt(sampleReceipt({ saleNumber: 'KILL-1' }), { saleId: 'sale-kill-1' });
  console.log(JSON.stringify({ event: 'queued', ...r }));
} else console.log(JSON.stringify({ event: 'started' }));
setInterval(() => {}, 1000);
