import { afterEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { Writable } from 'node:stream';
import { openTestCore, PINS, writesSecret, type TestCore } from '../test-support';

let t: TestCore;
afterEach(() => t?.cleanup());

describe('logging', () => {
  it('never writes PINs or session tokens to the log', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    t = openTestCore({ logger: pino({ level: 'trace' }, sink) });
    const token = await t.login(PINS.cashier);
    await t.fail('auth.login', { pin: '4321' });
    await t.ok('cart.add', { sku: '100401', quantity: 2 }, token);
    await t.fail(
      'cart.lineDiscount',
      {
        lineId: (await t.ok('cart.get', {}, token)).cart.lines[0]!.lineId,
        kind: 'percent',
        value: 50,
        managerPin: '5678',
      },
      token,
    );
    await t.ok('cart.pay', { tenders: [{ type: 'payment_code', amount: 3700, code: '134567890123456789' }] }, token);
    const log = lines.join('');
    expect(log.length).toBeGreaterThan(0);
    for (const secret of [PINS.cashier, '4321', '5678', token, '134567890123456789']) {
      expect(writesSecret(log, secret), secret).toBe(false);
    }
  });

  it('finds a secret written as a value, not one that is part of a longer number or id', () => {
    expect(writesSecret('{"time":1796567812149,"pin":"5678"}', '5678')).toBe(true);
    expect(writesSecret('{"msg":"wrong PIN 5678"}', '5678')).toBe(true);
    expect(writesSecret('{"time":1796567812149,"saleId":"01a2-5678ab"}', '5678')).toBe(false);
  });
});
