// The Electron window's first-run decisions, kept out of main.ts so they run in tests without
// Electron: whether the window opens on the first-run wizard, and how a `pos:setup` IPC message
// becomes one of the wizard's actions (app/till/till-setup.ts). Errors come back as `{ok:false}`
// bodies, as over HTTP; nothing a renderer sends can throw in the main process.
import type { SetupAction } from '../till';

/**
 * The wizard opens by itself on a till that has no store to sell for: not paired (no pairing.json,
 * no HUB_URL / CLOUD_URL) and either a store terminal (kiosk) or started without the demo data.
 * A developer's `npm start` keeps the demo store, with the wizard one click away on the login screen.
 */
export function opensWizard(o: { envPaired: boolean; paired: boolean; kiosk: boolean; seedDemo: boolean }): boolean {
  if (o.envPaired || o.paired) return false;
  return o.kiosk || !o.seedDemo;
}

const METHODS = { state: 'GET', hubs: 'GET', pair: 'POST', ticket: 'POST' } as const;
type ActionName = keyof typeof METHODS;
const isAction = (a: unknown): a is ActionName => typeof a === 'string' && Object.hasOwn(METHODS, a);

const failure = (code: string, message: string) => ({ ok: false, error: { code, message, details: {} } });

/** One `pos:setup` message from the till window: `{ok, …}` as the web host's /api/setup/<action> answers. */
export async function answerSetupIpc(
  handle: SetupAction,
  action: unknown,
  input: unknown,
  token: unknown,
  onError: (err: unknown) => void,
): Promise<unknown> {
  if (!isAction(action)) return failure('NOT_FOUND', `No setup action "${String(action).slice(0, 40)}".`);
  const method = METHODS[action];
  try {
    const r = await handle(
      action,
      method,
      method === 'GET' ? {} : input,
      typeof token === 'string' ? token : undefined,
    );
    return r.body;
  } catch (err) {
    onError(err);
    return failure('INTERNAL', 'The setup action failed; see the till log.');
  }
}
