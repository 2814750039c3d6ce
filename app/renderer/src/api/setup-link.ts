// How the first-run wizard reaches its till, in either shell. Pairing reopens the till on the
// paired store, so the wizard keeps its own session and does not use the app's ApiClient: in web
// mode it talks to /api/setup/<action> and /api/<method> with plain fetch (riding out the host's
// restart), in Electron to the preload bridge's `setup` and `call` (the main process reopens the
// till behind the same window). Answers are the host's `{ok, …}` bodies either way.
import type { TillEvent } from '../../../contract';
import type { PosBridge } from './transport';

/** An answer that did not arrive (host restarting, not reachable): the wizard asks again. */
export class SetupLinkDown extends Error {
  constructor(readonly code: 'OFFLINE' | 'RESTARTING') {
    super(code === 'OFFLINE' ? 'the till host does not answer' : 'the till is reopening');
    this.name = 'SetupLinkDown';
  }
}

type Body = { ok: boolean } & Record<string, unknown>;

export interface SetupLink {
  readonly kind: 'ipc' | 'http';
  /** A wizard action (state and hubs are reads; pair and ticket writes). */
  setup(action: 'state' | 'hubs' | 'pair' | 'ticket', input: unknown, token: string | null): Promise<Body>;
  /** An RPC method of the contract with a session token. */
  call(method: string, input: unknown, token: string | null): Promise<Body>;
  /** Live till events for the session (the wizard's "scan something now"). */
  events(token: string, cb: (ev: TillEvent) => void): () => void;
}

const READS = new Set(['state', 'hubs']);

async function fetchJson(path: string, init: RequestInit): Promise<Body> {
  let res: Response;
  try {
    res = await fetch(path, init);
  } catch {
    throw new SetupLinkDown('OFFLINE');
  }
  const body = (await res.json().catch(() => null)) as Body | null;
  if (!body || typeof body.ok !== 'boolean') throw new SetupLinkDown('RESTARTING');
  return body;
}

export function httpSetupLink(): SetupLink {
  const post = (path: string, input: unknown, token: string | null) =>
    fetchJson(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(input ?? {}),
    });
  return {
    kind: 'http',
    setup: (action, input, token) =>
      READS.has(action) ? fetchJson(`/api/setup/${action}`, {}) : post(`/api/setup/${action}`, input, token),
    call: (method, input, token) => post(`/api/${method}`, input, token),
    events(token, cb) {
      const source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
      source.onmessage = (m) => {
        try {
          cb(JSON.parse(m.data as string) as TillEvent);
        } catch {
          /* not an event we read */
        }
      };
      return () => source.close();
    },
  };
}

export function ipcSetupLink(bridge: PosBridge & Required<Pick<PosBridge, 'setup'>>): SetupLink {
  const answer = async (p: Promise<unknown>): Promise<Body> => {
    let body: unknown;
    try {
      body = await p;
    } catch {
      throw new SetupLinkDown('OFFLINE');
    }
    if (!body || typeof body !== 'object' || typeof (body as Body).ok !== 'boolean')
      throw new SetupLinkDown('RESTARTING');
    return body as Body;
  };
  return {
    kind: 'ipc',
    setup: (action, input, token) => answer(bridge.setup(action, input ?? {}, token ?? undefined)),
    call: (method, input, token) => answer(bridge.call(method, input ?? {}, token ?? undefined)),
    // Main sends every till event to the window; the session is the window's.
    events: (_token, cb) => bridge.onEvent(cb),
  };
}

/** Electron when the preload bridge offers `setup`, the web host otherwise. */
export function createSetupLink(win: Pick<Window, 'pos'> = window): SetupLink {
  const bridge = win.pos;
  return bridge?.setup ? ipcSetupLink({ ...bridge, setup: bridge.setup }) : httpSetupLink();
}
