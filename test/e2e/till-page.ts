// Shared steps for the till's browser tests and the scan benchmark: a Chromium launched the
// way the product's tests require, PIN login, and wedge-scanner bursts typed as real key events.
import { chromium, type Browser, type Page } from 'playwright-core';
import type { TerminalCore } from '../../app/core';
import type { MethodInput, MethodName, MethodOutput } from '../../app/contract';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking'];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

export async function newTillPage(browser: Browser, url: string, initScript?: () => void): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1024, height: 768 }, locale: 'zh-CN' });
  if (initScript) await page.addInitScript(initScript);
  await page.goto(url);
  await page.getByTestId('pin-input').waitFor();
  return page;
}

/** Types a PIN on the login screen and presses Enter. */
export async function typePin(page: Page, pin: string): Promise<void> {
  await page.getByTestId('pin-input').focus();
  await page.keyboard.type(pin, { delay: 20 });
  await page.keyboard.press('Enter');
}

/**
 * Logs in and gets past the float prompt (opens the shift with `float` yuan) so the till is
 * ready for scans: keys typed while a dialog is open never reach the cart.
 */
export async function loginToTill(page: Page, pin: string, float = '500'): Promise<void> {
  await typePin(page, pin);
  // The status bar shows the shift state once shift.current has answered; the float prompt
  // follows when there is none.
  const shift = page.getByTestId('status-shift');
  await shift.waitFor();
  const floatInput = page.getByTestId('shift-float-input');
  if ((await shift.getAttribute('data-open')) === 'false') {
    await floatInput.waitFor();
    await floatInput.fill(float);
    await page.keyboard.press('Enter');
    await page.getByTestId('shift-open-dialog').waitFor({ state: 'detached' });
  }
  const cart = page.getByTestId('cart');
  await cart.waitFor();
}

/** A keyboard-wedge scanner: the code as a burst of key events 5 ms apart, then Enter. */
export async function wedgeScan(page: Page, code: string): Promise<void> {
  await page.keyboard.type(code, { delay: 5 });
  await page.keyboard.press('Enter');
}

/**
 * Playwright's key events reach the page 5–50 ms apart, and far more apart on a busy 2-core
 * machine (CDP round trips), where a real scanner's are 1–5 ms apart. So tests widen the wedge
 * window the way a store would for a slow scanner. Needs a manager or technician PIN.
 */
export async function widenWedgeWindow(url: string, pin = '7777', maxInterKeyMs = 100): Promise<void> {
  const post = async (method: string, body: unknown, token?: string) => {
    const res = await fetch(`${url}/api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as { ok: boolean; error?: { message: string } } & Record<string, unknown>;
    if (!json.ok) throw new Error(`${method}: ${json.error?.message}`);
    return json;
  };
  const { token } = (await post('auth.login', { pin })) as unknown as { token: string };
  const { config } = (await post('config.get', {}, token)) as unknown as { config: { wedge: Record<string, unknown> } };
  await post('config.set', { patch: { wedge: { ...config.wedge, maxInterKeyMs } } }, token);
  await post('auth.logout', {}, token);
}

/** Scans and waits until the cart has re-rendered with the core's answer. */
export async function scanIntoCart(page: Page, code: string): Promise<void> {
  const cart = page.getByTestId('cart');
  const before = await cart.getAttribute('data-cart-updated');
  await wedgeScan(page, code);
  await page.waitForFunction(
    (b) => document.querySelector('[data-testid="cart"]')?.getAttribute('data-cart-updated') !== b,
    before,
  );
}

/** A core call that throws on an error answer: for set-up the cashier would not do by hand. */
export type CoreCall = <M extends MethodName>(method: M, input: MethodInput<M>) => Promise<MethodOutput<M>>;

/** Runs `run` with a session of the staff member whose PIN is `pin`, and logs out after. */
export async function asStaff<T>(core: TerminalCore, pin: string, run: (call: CoreCall) => Promise<T>): Promise<T> {
  const login = await core.call('auth.login', { pin }, {});
  if (!login.ok) throw new Error(`login: ${login.error.message}`);
  const call: CoreCall = async (method, input) => {
    const r = await core.call(method, input, { token: login.token });
    if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
    return r;
  };
  try {
    return await run(call);
  } finally {
    await core.call('auth.logout', {}, { token: login.token });
  }
}

/** Empty cart (voided with the demo manager's PIN) and, unless `openShift` is false, an open shift. */
export async function readyTill(core: TerminalCore, pin = '1234', openShift = true): Promise<void> {
  await asStaff(core, pin, async (call) => {
    if ((await call('cart.get', {})).cart.lines.length > 0)
      await call('cart.void', { reason: 'e2e set-up', managerPin: '8888' });
    if (openShift && !(await call('shift.current', {})).shift) await call('shift.open', { float: 50000 });
  });
}
