// Staff records between two tills of a store on real SQLite replicas: what T02 makes of T01's
// staff ops when it applies them (as a pull through the hub or the cloud would). A disable on one
// till and a PIN reset on the other, made at the same time, both survive on both tills; a member
// is created only once profile, role and PIN have arrived; a staff op from the hub's node or with
// a hash this product never writes changes nothing.
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { HybridClock, OpFactory, type Op } from '../../../sync/core';
import { openTestCore, PINS, writesSecret, type TestCore } from '../test-support';

const LI_NA = 'staff-li-na'; // demo cashier, PIN 1234, on every till

const opened: TestCore[] = [];
afterEach(async () => {
  for (const t of opened.splice(0)) {
    await t.core.close();
    rmSync(t.dataDir, { recursive: true, force: true });
  }
});

function till(terminalId: string): TestCore {
  const t = openTestCore({
    storeId: 'S001',
    terminalId,
    sync: { cloudUrl: 'http://127.0.0.1:9', enrollCode: 'DEMO-S001-2026', intervalMs: 600_000 },
  });
  opened.push(t);
  return t;
}
const staffOps = async (t: TestCore) =>
  (await t.core.sync!.outbox.storage.allOps('store:S001')).filter((o) => o.t === 'set' && o.e === 'staff');
const receive = (t: TestCore, ops: Op[]) => t.core.sync!.outbox.storage.apply(ops, 'hub');
const member = async (t: TestCore, token: string, id: string) =>
  (await t.ok('staff.members', {}, token)).staff.find((m) => m.id === id);

describe('staff replicated between tills', () => {
  it('a disable on T01 and a PIN reset on T02 at the same time both hold on both tills', async () => {
    const t1 = till('T01');
    const t2 = till('T02');
    const m1 = await t1.login(PINS.manager);
    const m2 = await t2.login(PINS.manager);
    const liOnT2 = await t2.login(PINS.cashier);
    await t1.ok('staff.disable', { staffId: LI_NA }, m1);
    await t2.ok('staff.resetPin', { staffId: LI_NA, pin: '4545' }, m2);
    const from1 = await staffOps(t1);
    const from2 = await staffOps(t2);
    // PIN hashes only: the temporary PIN is nowhere in the ops.
    expect(writesSecret(JSON.stringify(from2), '4545')).toBe(false);
    expect(from2.map((o) => o.f).sort()).toEqual(['pin', 'profile']);
    await receive(t2, from1);
    await receive(t1, from2);
    for (const [t, token] of [
      [t1, m1],
      [t2, m2],
    ] as const)
      expect(await member(t, token, LI_NA)).toMatchObject({ active: false, mustChangePin: true });
    // T02's open session of Li Na ended with the disable; Li Na cannot log in on either till.
    expect((await t2.fail('auth.whoami', {}, liOnT2)).code).toBe('UNAUTHENTICATED');
    expect((await t1.fail('auth.login', { pin: '4545' })).code).toBe('WRONG_PIN');

    // Re-enabled on T02: T01 follows, and the reset still asks for a new PIN there.
    await t2.ok('staff.enable', { staffId: LI_NA }, m2);
    await receive(t1, await staffOps(t2));
    const li = await t1.ok('auth.login', { pin: '4545' });
    expect(li.staff).toMatchObject({ id: LI_NA, mustChangePin: true });
  });

  it('creates a member once profile, role and PIN have arrived; ignores staff ops from the hub node or with a foreign hash', async () => {
    const t1 = till('T01');
    const t2 = till('T02');
    const m1 = await t1.login(PINS.manager);
    const m2 = await t2.login(PINS.manager);
    const { member: zhao } = await t1.ok('staff.add', { name: '赵六', role: 'cashier', pin: '4242' }, m1);
    const ops = await staffOps(t1);
    expect(ops.map((o) => o.f).sort()).toEqual(['active', 'pin', 'profile', 'role']);
    await receive(
      t2,
      ops.filter((o) => o.f !== 'pin'),
    );
    expect(await member(t2, m2, zhao.id)).toBeUndefined();
    await receive(t2, ops);
    expect(await member(t2, m2, zhao.id)).toMatchObject({ name: '赵六', role: 'cashier', active: true });
    expect((await t2.ok('auth.login', { pin: '4242' })).staff.id).toBe(zhao.id);

    // The hub's node may not author staff; a till's op with a huge scrypt cost is not a till's hash.
    const hub = new OpFactory(new HybridClock({ nodeId: 'HS001', now: () => Date.parse('2026-11-29T03:00:00Z') }));
    const rogueTill = new OpFactory(
      new HybridClock({ nodeId: 'S001_T09', now: () => Date.parse('2026-11-29T03:00:00Z') }),
    );
    const salt = Buffer.alloc(16, 7).toString('base64');
    const key = Buffer.alloc(32, 9).toString('base64');
    await receive(t2, [
      hub.set('store:S001', 'staff', zhao.id, 'active', { active: false, at: '2026-11-29T03:00:00Z' }),
      rogueTill.set('store:S001', 'staff', zhao.id, 'pin', {
        hash: `scrypt$1073741824$8$1$${salt}$${key}`,
        mustChange: false,
      }),
    ]);
    expect(await member(t2, m2, zhao.id)).toMatchObject({ active: true, mustChangePin: false });
    expect((await t2.ok('auth.login', { pin: '4242' })).staff.id).toBe(zhao.id);
  });
});
