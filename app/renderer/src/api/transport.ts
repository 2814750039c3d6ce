// The two ways the renderer reaches the core: Electron IPC through the preload bridge
// (`window.pos`) or HTTP + SSE against the web host. Both speak the same typed contract.
import type { MethodName, MethodInput, MethodOutput, RpcResult, TillEvent } from '../../../contract';

export interface Transport {
  readonly kind: 'ipc' | 'http';
  call<M extends MethodName>(
    method: M,
    input: MethodInput<M>,
    token: string | null,
  ): Promise<RpcResult<MethodOutput<M>>>;
  /**
   * Live events for a session; returns an unsubscribe function. `onLink` hears the stream drop
   * (false) and come back (true), which is how a host restart shows before the next call.
   */
  onEvent(token: string, cb: (ev: TillEvent) => void, onLink?: (up: boolean) => void): () => void;
}

/** What the Electron preload exposes with contextBridge. */
export interface PosBridge {
  call(method: string, input: unknown, token?: string): Promise<RpcResult<unknown>>;
  onEvent(cb: (ev: TillEvent) => void): () => void;
  /** The first-run wizard's actions (app/till/till-setup.ts); answers are `{ok, …}` bodies. */
  setup?(action: string, input: unknown, token?: string): Promise<unknown>;
}

declare global {
  interface Window {
    pos?: PosBridge;
  }
}
