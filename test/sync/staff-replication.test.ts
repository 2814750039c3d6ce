// Staff across a store's tills (issue 17, Staff): two real till web hosts (child processes) of
// store S001 sync through the store hub (a child process, paired with the cloud). A manager adds,
// disables, re-enables and PIN-resets a cashier in T01's back office; T02 lets them log in or
// refuses them once the change has travelled, and a PIN reset forces the new PIN on T02 too.
// Lockout counters stay per till. Devices that are not a till of the store cannot author staff:
// a manager device, a till of another store, a relayed staff op with a till's stamp.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeBatch, formatStamp, HybridClock, OpFactory, type Op } from '../../sync';
import type { Proc } from './processes';
import { startStore, type StoreProcesses } from './store-processes';
import { postJson, postRaw, waitFor } from './helpers';

const ADMIN = 'staff-sync-admin';
const CODE = 'DEMO-S001-2026';
const STORE = 'S001';
const MANAGER_PIN = '8888'; // demo seed (same staff ids on every till)

let store: StoreProcesses;
let cloud: Proc;
let hub: Proc;
const tills: Record<'T01' | 'T02', Proc> = {} as Record<'T01' | 'T02', Proc>;
const url = (p: Proc) => `http://127.0.0.1:${p.info.port}`;

type Answer = { ok: true; [k: string]: any } | { ok: false; error: { code: string; details?: any } };
async function call(till: Proc, method: string, input: unknown, token?: string): Promise<Answer> {
  const r = await fetch(`${url(till)}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(input),
  });
  return (await r.json()) as Answer;
}
async function ok(till: Proc, method: string, input: unknown, token?: string): Promise<any> {
  const a = await call(till, method, input, token);
  if (!a.ok) throw new Error(`${method}: ${JSON.stringify(a.error)}`);
  return a;
}
const login = (till: Proc, pin: string, staffId?: string) =>
  call(till, 'auth.login', staffId ? { pin, staffId } : { pin });
/** The staff member as the till's back office lists them (manager session). */
async function memberOn(till: Proc, token: string, staffId: string): Promise<any> {
  return ((await ok(till, 'staff.members', {}, token)).staff as any[]).find((m) => m.id === staffId);
}
async function enroll(deviceId: string, code: string): Promise<string> {
  const r = await postJson(`${url(cloud)}/sync/enroll`, { code, deviceId });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.token as string;
}
async function pairingCode(storeId: string, role: string): Promise<string> {
  return (await postJson(`${url(cloud)}/sync/admin/enroll-codes`, { storeId, role }, ADMIN)).body.code as string;
}
const push = (target: Proc, ops: Op[], token: string) => postRaw(`${url(target)}/sync/push`, encodeBatch(ops), token);
const stamped = (op: Op, node: string, counter: number): Op => ({
  ...op,
  id: formatStamp({ wall: Date.now(), counter, node }),
});

beforeAll(async () => {
  // The tills sync through the hub (their cloud link is only the fallback when the hub is gone).
  store = await startStore({ tag: 'staffsync', admin: ADMIN, code: CODE, store: STORE });
  ({ cloud, hub } = store);
  tills.T01 = store.tills[0]!.proc;
  tills.T02 = store.tills[1]!.proc;
}, 180_000);

afterAll(() => store?.stop());

describe('staff across the store’s tills', () => {
  it('a cashier added, disabled, re-enabled and PIN-reset on T01 logs in (or is refused) on T02', async () => {
    const { T01, T02 } = tills;
    const mgr1 = (await ok(T01, 'auth.login', { pin: MANAGER_PIN })).token as string;
    const mgr2 = (await ok(T02, 'auth.login', { pin: MANAGER_PIN })).token as string;

    // Added on T01 → logs in on T02.
    const { member } = await ok(
      T01,
      'staff.add',
      { name: '赵六', nameEn: 'Zhao Liu', role: 'cashier', pin: '4242' },
      mgr1,
    );
    await waitFor('the new cashier reaches T02', () => memberOn(T02, mgr2, member.id), 60_000, 250);
    expect(await memberOn(T02, mgr2, member.id)).toMatchObject({ name: '赵六', role: 'cashier', active: true });
    const zhao = await ok(T02, 'auth.login', { pin: '4242' });
    expect(zhao.staff).toMatchObject({ id: member.id, role: 'cashier' });

    // Disabled on T01 → refused on T02, and the session already open there ends.
    await ok(T01, 'staff.disable', { staffId: member.id }, mgr1);
    await waitFor(
      'the disable reaches T02',
      async () => (await memberOn(T02, mgr2, member.id))?.active === false,
      60_000,
      250,
    );
    expect((await login(T02, '4242')).ok).toBe(false);
    expect((await call(T02, 'auth.whoami', {}, zhao.token)).ok).toBe(false);

    // Re-enabled on T01 → logs in on T02 again.
    await ok(T01, 'staff.enable', { staffId: member.id }, mgr1);
    await waitFor(
      'the re-enable reaches T02',
      async () => (await memberOn(T02, mgr2, member.id))?.active === true,
      60_000,
      250,
    );
    expect((await login(T02, '4242')).ok).toBe(true);

    // PIN reset on T01 → on T02 the old PIN is refused, the temporary one must be replaced first.
    await ok(T01, 'staff.resetPin', { staffId: member.id, pin: '5656' }, mgr1);
    await waitFor(
      'the reset reaches T02',
      async () => (await memberOn(T02, mgr2, member.id))?.mustChangePin === true,
      60_000,
      250,
    );
    expect((await login(T02, '4242', member.id)).ok).toBe(false);
    const temp = await ok(T02, 'auth.login', { pin: '5656', staffId: member.id });
    expect(temp.staff.mustChangePin).toBe(true);
    const blocked = await call(T02, 'cart.get', {}, temp.token);
    expect(blocked.ok ? null : blocked.error.code).toBe('PIN_CHANGE_REQUIRED');
    await ok(T02, 'auth.setPin', { pin: '7979' }, temp.token);

    // The PIN chosen on T02 is the PIN on T01 too, with no change asked for there.
    await waitFor(
      'the new PIN reaches T01',
      async () => (await memberOn(T01, mgr1, member.id))?.mustChangePin === false,
      60_000,
      250,
    );
    const back = await ok(T01, 'auth.login', { pin: '7979', staffId: member.id });
    expect(back.staff.mustChangePin).toBeUndefined();
    expect((await login(T01, '5656', member.id)).ok).toBe(false);
  }, 240_000);

  it('lockout stays per till: five wrong PINs lock the cashier on T01, not on T02', async () => {
    const { T01, T02 } = tills;
    const mgr1 = (await ok(T01, 'auth.login', { pin: MANAGER_PIN })).token as string;
    const mgr2 = (await ok(T02, 'auth.login', { pin: MANAGER_PIN })).token as string;
    const { member } = await ok(T01, 'staff.add', { name: '钱七', role: 'cashier', pin: '3131' }, mgr1);
    await waitFor('the cashier reaches T02', () => memberOn(T02, mgr2, member.id), 60_000, 250);
    let last: Answer | null = null;
    for (let i = 0; i < 5; i++) last = await login(T01, '0000', member.id);
    expect(last && !last.ok ? last.error.code : null).toBe('LOCKED_OUT');
    const locked = await login(T01, '3131', member.id);
    expect(locked.ok ? null : locked.error.code).toBe('LOCKED_OUT');
    expect((await login(T02, '3131', member.id)).ok).toBe(true);
  }, 120_000);

  it('refuses staff ops from devices that are not a till of the store', async () => {
    const { T02 } = tills;
    const mgr2 = (await ok(T02, 'auth.login', { pin: MANAGER_PIN })).token as string;
    const forgedId = 'staff-forged';
    const fields = (f: OpFactory, scope: string): Op[] => [
      f.set(scope, 'staff', forgedId, 'profile', {
        name: '假经理',
        nameEn: 'Fake',
        createdAt: new Date().toISOString(),
      }),
      f.set(scope, 'staff', forgedId, 'role', 'manager'),
      f.set(scope, 'staff', forgedId, 'pin', {
        // A well-formed hash (of another PIN): the shape is not what is refused, the author is.
        hash: `scrypt$1024$8$1$${Buffer.alloc(16, 1).toString('base64')}$${Buffer.alloc(32, 2).toString('base64')}`,
        mustChange: false,
      }),
    ];

    // A manager device of the store (HQ pairing code of role manager): its own stamp, refused.
    const mgrDevice = await enroll('MGR_S001', await pairingCode(STORE, 'manager'));
    const byMgr = new OpFactory(new HybridClock({ nodeId: 'MGR_S001', now: Date.now }));
    for (const target of [hub, cloud]) {
      const r = await push(target, fields(byMgr, `store:${STORE}`), mgrDevice);
      expect(r.status, JSON.stringify(r.body)).toBe(403);
      expect(r.body.error.code).toBe('AUTHOR_FORBIDDEN');
    }

    // A till of another store: not in this store's scope (the cloud), not this store's device (the hub).
    const otherTill = await enroll('T01', await pairingCode('S002', 'terminal'));
    const byOther = new OpFactory(new HybridClock({ nodeId: 'S002_T01', now: Date.now }));
    const cross = await push(cloud, fields(byOther, `store:${STORE}`), otherTill);
    expect(cross.status).toBe(403);
    expect(cross.body.error.code).toBe('SCOPE_FORBIDDEN');
    expect((await push(hub, fields(byOther, `store:${STORE}`), otherTill)).status).toBe(403);

    // A device of the store relaying a staff op stamped as if T01 had written it: not stored.
    const relay = await enroll('R77', CODE);
    const byRelay = new OpFactory(new HybridClock({ nodeId: 'S001_R77', now: Date.now }));
    const forged = fields(byRelay, `store:${STORE}`).map((o, i) => stamped(o, 'S001_T01', i));
    for (const target of [hub, cloud])
      expect((await push(target, forged, relay)).body).toMatchObject({ ok: true, applied: 0, skipped: forged.length });

    // T02 has synced past all of it (a change made on T01 after the attempts has arrived) and
    // knows no forged manager; the forged PIN logs nobody in.
    const mgr1 = (await ok(tills.T01, 'auth.login', { pin: MANAGER_PIN })).token as string;
    const { member } = await ok(tills.T01, 'staff.add', { name: '孙八', role: 'cashier', pin: '6262' }, mgr1);
    await waitFor('a later change reaches T02', () => memberOn(T02, mgr2, member.id), 60_000, 250);
    expect(await memberOn(T02, mgr2, forgedId)).toBeUndefined();
  }, 120_000);
});
