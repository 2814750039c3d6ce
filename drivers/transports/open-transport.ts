// Composition of transports from a device URI. Bindings are injectable so tests and the
// emulators can swap in MockHidBinding or a MockTransport factory.
import { parseDeviceUri, type DeviceUri } from './device-uri';
import { HidTransport, nodeHidBinding, type HidBinding } from './hid';
import { MockTransport } from './mock-transport';
import { SerialTransport } from './serial-transport';
import { TcpTransport } from './tcp-transport';
import type { Transport } from './transport';
import { UsbPrinterTransport } from './usb-printer-transport';

export interface TransportBindings {
  hid?: HidBinding;
  mock?: (name: string) => Transport;
}

export function createTransport(uri: string | DeviceUri, bindings: TransportBindings = {}): Transport {
  const u = typeof uri === 'string' ? parseDeviceUri(uri) : uri;
  switch (u.scheme) {
    case 'tcp':
      return new TcpTransport(u.raw, u.host, u.port);
    case 'serial':
      return new SerialTransport(u.raw, u.path, u.baud);
    case 'usb':
      return new UsbPrinterTransport(u.raw, u.path);
    case 'hid':
      return new HidTransport(u.raw, bindings.hid ?? nodeHidBinding, u.vendorId, u.productId);
    case 'mock':
      return bindings.mock ? bindings.mock(u.name) : new MockTransport(u.raw);
  }
}
