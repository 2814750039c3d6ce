// Child process for payment-crash.test.ts: a till core on a data dir, paying one cart by a
// WeChat payment code through the real v2 client against the parent's gateway emulator. The
// parent SIGKILLs it at a chosen step of the flow.
import pino from 'pino';
import { openTerminalCore } from '../../app/core';
import { WalletRouter, WechatPayV2Provider } from '../../app/core/payment';

const [dataDir, baseUrl, appId, mchId, apiKey] = process.argv.slice(2) as [string, string, string, string, string];
const core = openTerminalCore({
  dataDir,
  seedDemo: true,
  logger: pino({ level: 'silent' }),
  pinScryptN: 1024,
  paymentProvider: new WalletRouter({
    wechat: new WechatPayV2Provider({ baseUrl, appId, mchId, apiKey, timeoutMs: 60_000 }),
    alipay: null,
  }),
  paymentTiming: { pollMs: 50, deadlineMs: 60_000 },
});
await core.ready;
const login = await core.call('auth.login', { pin: '1234' }, {});
if (!login.ok) throw new Error(login.error.code);
await core.call('cart.add', { sku: '100401' }, { token: login.token });
process.stdout.write('PAYING\n');
const r = await core.call(
  'cart.pay',
  { tenders: [{ type: 'payment_code', amount: 1850, code: '134567890123456789' }] },
  { token: login.token },
);
process.stdout.write(`${r.ok ? 'PAID' : r.error.code}\n`);
await core.close();
