// Electron transport: the preload bridge forwards calls to the core in the main process.
import type { MethodName, MethodInput, MethodOutput, RpcResult } from '../../../contract';
import type { PosBridge, Transport } from './transport';

export function ipcTransport(bridge: PosBridge): Transport {
  return {
    kind: 'ipc',
    call: <M extends MethodName>(method: M, input: MethodInput<M>, token: string | null) =>
      bridge.call(method, input, token ?? undefined) as Promise<RpcResult<MethodOutput<M>>>,
    onEvent: (_token, cb) => bridge.onEvent(cb),
  };
}
