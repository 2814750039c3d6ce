// HID binding: the seam between HID drivers and node-hid. The real binding wraps node-hid;
// MockHidBinding is the first-class test binding (no HID hardware exists on CI machines),
// in the spirit of node-serialport's MockBinding: tests plug in virtual devices and emit
// input reports that go through exactly the same driver code.
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';

export interface HidDeviceInfo {
  vendorId: number;
  productId: number;
  path?: string;
  product?: string;
  manufacturer?: string;
  usagePage?: number;
  usage?: number;
}

export interface HidHandle extends EventEmitter {
  write(data: number[] | Buffer): void;
  close(): void;
}

export interface HidBinding {
  readonly name: string;
  devices(): HidDeviceInfo[];
  open(vendorId: number, productId: number): HidHandle;
}

/** A HID device's URI (hid:VID:PID in hex), as parseDeviceUri reads it. */
export function formatHidUri(vendorId: number, productId: number): string {
  const h = (n: number) => n.toString(16).padStart(4, '0');
  return `hid:${h(vendorId)}:${h(productId)}`;
}

type NodeHid = typeof import('node-hid');
let nodeHid: NodeHid | null | undefined;
function loadNodeHid(): NodeHid | null {
  if (nodeHid !== undefined) return nodeHid;
  try {
    // import.meta is empty in the Electron main bundle (CommonJS): __filename is there instead.
    nodeHid = createRequire(import.meta.url ?? __filename)('node-hid') as NodeHid;
  } catch {
    nodeHid = null; // libusb/hidraw missing: HID discovery reports nothing rather than crashing
  }
  return nodeHid;
}

export const nodeHidBinding: HidBinding = {
  name: 'node-hid',
  devices() {
    const hid = loadNodeHid();
    if (!hid) return [];
    try {
      return hid.devices().map((d) => ({
        vendorId: d.vendorId,
        productId: d.productId,
        path: d.path,
        product: d.product,
        manufacturer: d.manufacturer,
        usagePage: d.usagePage,
        usage: d.usage,
      }));
    } catch {
      return [];
    }
  },
  open(vendorId, productId) {
    const hid = loadNodeHid();
    if (!hid) throw new Error('node-hid is not available on this machine');
    return new hid.HID(vendorId, productId) as unknown as HidHandle;
  },
};

class MockHidHandle extends EventEmitter implements HidHandle {
  closed = false;
  readonly written: Buffer[] = [];
  constructor(private readonly onClose: () => void) {
    super();
  }
  write(data: number[] | Buffer): void {
    if (this.closed) throw new Error('HID device closed');
    this.written.push(Buffer.from(data));
  }
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
  }
}

/** Virtual HID devices for tests and the HID scanner emulator. */
export class MockHidBinding implements HidBinding {
  readonly name = 'mock-hid';
  private readonly infos = new Map<string, HidDeviceInfo>();
  private readonly handles = new Map<string, MockHidHandle>();
  private key(v: number, p: number) {
    return `${v}:${p}`;
  }

  addDevice(info: HidDeviceInfo): void {
    this.infos.set(this.key(info.vendorId, info.productId), info);
  }
  /** Simulates pulling the USB cable: the open handle errors and the device disappears. */
  unplug(vendorId: number, productId: number): void {
    const k = this.key(vendorId, productId);
    this.infos.delete(k);
    const h = this.handles.get(k);
    if (h && !h.closed) {
      h.emit('error', new Error('could not read from HID device'));
      h.close();
    }
  }
  devices(): HidDeviceInfo[] {
    return [...this.infos.values()];
  }
  open(vendorId: number, productId: number): HidHandle {
    const k = this.key(vendorId, productId);
    if (!this.infos.has(k))
      throw new Error(
        `cannot open device with vendor id 0x${vendorId.toString(16)} and product id 0x${productId.toString(16)}`,
      );
    const h = new MockHidHandle(() => this.handles.delete(k));
    this.handles.set(k, h);
    return h;
  }
  /** Delivers one input report, as node-hid's 'data' event would. */
  emitReport(vendorId: number, productId: number, report: Uint8Array): void {
    const h = this.handles.get(this.key(vendorId, productId));
    if (!h || h.closed) throw new Error('HID device is not open');
    h.emit('data', Buffer.from(report));
  }
  handle(vendorId: number, productId: number): { written: Buffer[] } | undefined {
    return this.handles.get(this.key(vendorId, productId));
  }
}
