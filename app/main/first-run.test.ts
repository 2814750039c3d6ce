// The Electron window's first-run decisions without Electron (it cannot run here): when the
// window opens on the wizard, and how a `pos:setup` message from the window becomes a wizard
// action — unknown actions refused, reads carry no body, a failing action answered, not thrown.
import { describe, expect, it } from 'vitest';
import type { SetupAction } from '../till';
import { answerSetupIpc, opensWizard } from './first-run';

describe('the Electron window opens on the first-run wizard', () => {
  const base = { envPaired: false, paired: false, kiosk: false, seedDemo: true };
  it('on an unpaired store terminal (kiosk) or a till started without the demo store', () => {
    expect(opensWizard({ ...base, kiosk: true })).toBe(true);
    expect(opensWizard({ ...base, seedDemo: false })).toBe(true);
  });
  it("not on a developer's demo start, nor on a till paired by the wizard or by HUB_URL / CLOUD_URL", () => {
    expect(opensWizard(base)).toBe(false);
    expect(opensWizard({ ...base, kiosk: true, paired: true })).toBe(false);
    expect(opensWizard({ ...base, seedDemo: false, envPaired: true })).toBe(false);
  });
});

describe('a pos:setup message from the till window', () => {
  const seen: unknown[][] = [];
  const handle: SetupAction = async (action, method, input, token) => {
    seen.push([action, method, input, token]);
    if (action === 'ticket') throw new Error('printer driver blew up');
    return { status: 200, body: { ok: true, action } };
  };
  const errors: unknown[] = [];
  const ask = (action: unknown, input: unknown = {}, token: unknown = undefined) =>
    answerSetupIpc(handle, action, input, token, (e) => errors.push(e));

  it('runs the named action with its method; reads carry no body, a token only when it is text', async () => {
    expect(await ask('state', { anything: 1 }, 'tok')).toEqual({ ok: true, action: 'state' });
    expect(await ask('pair', { code: 'ABCD-1234' }, 42)).toEqual({ ok: true, action: 'pair' });
    expect(await ask('hubs')).toEqual({ ok: true, action: 'hubs' });
    expect(seen).toEqual([
      ['state', 'GET', {}, 'tok'],
      ['pair', 'POST', { code: 'ABCD-1234' }, undefined],
      ['hubs', 'GET', {}, undefined],
    ]);
  });

  it('refuses anything that is not a wizard action, without calling it', async () => {
    const before = seen.length;
    for (const a of ['toString', '__proto__', 'constructor', '', 7, null, { action: 'pair' }])
      expect(await ask(a)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(seen.length).toBe(before);
  });

  it('answers a failing action with INTERNAL and logs it, instead of throwing into the main process', async () => {
    expect(await ask('ticket', { results: {} }, 'tok')).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'The setup action failed; see the till log.', details: {} },
    });
    expect(errors).toHaveLength(1);
  });
});
