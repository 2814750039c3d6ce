// The typed API client the screens use: holds the session token, throws ApiError for
// `{ok:false}` answers, and tracks whether the host is reachable for the status bar. Down is
// noticed at once (a failed call, or the event stream dropping); up again by a probe every
// second while down, so scans kept during a host restart are replayed soon (issue 13 item 12).
import type { ErrorCode, MethodName, MethodInput, MethodOutput, TillEvent } from '../../../contract';
import type { Transport } from './transport';
import { OfflineError, httpTransport } from './http-transport';
import { ipcTransport } from './ipc-transport';

export type ClientErrorCode = ErrorCode | 'OFFLINE';

export class ApiError extends Error {
  constructor(
    public readonly code: ClientErrorCode,
    message: string,
    public readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export class ApiClient {
  private token: string | null = null;
  private online = true;
  private readonly onlineListeners = new Set<(online: boolean) => void>();
  private readonly authListeners = new Set<() => void>();
  private probe: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly transport: Transport,
    private readonly probeMs = 1000,
  ) {}

  get kind(): Transport['kind'] {
    return this.transport.kind;
  }
  get isOnline(): boolean {
    return this.online;
  }
  get hasSession(): boolean {
    return this.token !== null;
  }

  setToken(token: string | null): void {
    this.token = token;
  }

  async call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
    let result;
    try {
      result = await this.transport.call(method, input, this.token);
    } catch (err) {
      if (err instanceof OfflineError) {
        this.setOnline(false);
        throw new ApiError('OFFLINE', err.message);
      }
      throw new ApiError('INTERNAL', err instanceof Error ? err.message : String(err));
    }
    this.setOnline(true);
    if (result.ok) {
      const { ok: _ok, ...output } = result;
      return output as MethodOutput<M>;
    }
    if (result.error.code === 'UNAUTHENTICATED' && method !== 'auth.login') {
      for (const l of this.authListeners) l();
    }
    throw new ApiError(result.error.code, result.error.message, result.error.details);
  }

  events(cb: (ev: TillEvent) => void): () => void {
    if (!this.token) return () => {};
    return this.transport.onEvent(this.token, cb, (up) => this.setOnline(up));
  }

  onOnlineChange(cb: (online: boolean) => void): () => void {
    this.onlineListeners.add(cb);
    return () => this.onlineListeners.delete(cb);
  }

  /** Called when the core says the session is gone (expired, logged out elsewhere). */
  onSessionLost(cb: () => void): () => void {
    this.authListeners.add(cb);
    return () => this.authListeners.delete(cb);
  }

  private setOnline(online: boolean): void {
    if (online === this.online) return;
    this.online = online;
    if (!online) this.startProbe();
    for (const l of this.onlineListeners) l(online);
  }

  /** While down, asks the host who we are every `probeMs`; any answer means it is back. */
  private startProbe(): void {
    if (this.probe) return;
    const tick = async (): Promise<void> => {
      try {
        await this.transport.call('auth.whoami', {}, this.token);
        this.probe = null;
        this.setOnline(true);
      } catch {
        this.probe = this.online ? null : setTimeout(() => void tick(), this.probeMs);
      }
    };
    this.probe = setTimeout(() => void tick(), this.probeMs);
  }
}

/** Electron when the preload bridge is there, web host otherwise. */
export function createClient(win: Pick<Window, 'pos'> = window): ApiClient {
  return new ApiClient(win.pos ? ipcTransport(win.pos) : httpTransport());
}
