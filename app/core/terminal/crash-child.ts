// Child process for the SIGKILL crash test: rings up sales in a loop on a real SQLite file
// and prints one line per acknowledged step ("ADD n", "SALE id total"), so the parent knows
// exactly what was acknowledged before it kills this process. Not part of the product.
import pino from 'pino';
import { openTerminalCore } from './open-terminal-core';

const dataDir = process.argv[2]!;
const sku = process.argv[3]!;
// argv[4] = 'sync': attach sync towards a closed loopback port, so every op stays in the outbox.
const sync =
  process.argv[4] === 'sync'
    ? { cloudUrl: 'http://127.0.0.1:9', enrollCode: 'DEMO-S001-2026', intervalMs: 60_000 }
    : undefined;
const core = openTerminalCore({
  dataDir,
  seedDemo: true,
  storeId: 'S001',
  logger: pino({ level: 'silent' }),
  pinScryptN: 1024,
  sync,
});
const login = await core.call('auth.login', { pin: '1234' }, {});
if (!login.ok) throw new Error(login.error.code);
const token = login.token;
process.stdout.write('READY\n');
for (let i = 1; ; i++) {
  const add = await core.call('cart.add', { sku }, { token });
  if (!add.ok) throw new Error(add.error.code);
  process.stdout.write(`ADD ${i}\n`);
  if (i % 3 === 0) {
    const pay = await core.call('cart.pay', { tenders: [{ type: 'cash', amount: 100000 }] }, { token });
    if (!pay.ok) throw new Error(pay.error.code);
    process.stdout.write(`SALE ${pay.saleId} ${pay.total}\n`);
  }
}
