// Glue for the composition root (app/host or app/main): forwards device status changes as
// TillEvents on the core's event emitter and supplies TerminalStatus.devices for the core's
// statusProvider. Structural types only, so drivers do not depend on app/core.
import type { TerminalStatus, TillEvent } from '../../app/contract';
import type { DeviceHub, DeviceStatusLine } from './device-hub';

export interface TillEventSink { emit(event: 'event', e: TillEvent): boolean }

export function bridgeDeviceHub(hub: DeviceHub, sink: TillEventSink, lang: () => 'zh-CN' | 'en' = () => 'zh-CN'): {
  statusProvider: () => Pick<TerminalStatus, 'devices'>;
  detach: () => void;
} {
  const onStatus = (l: DeviceStatusLine) => {
    sink.emit('event', { type: 'device.status', device: { id: l.id, kind: l.kind, status: l.status, message: lang() === 'en' ? l.message : l.messageZh } });
  };
  hub.on('device.status', onStatus);
  return {
    statusProvider: () => ({ devices: hub.status(lang()) }),
    detach: () => { hub.off('device.status', onStatus); },
  };
}
