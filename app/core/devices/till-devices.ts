// The store devices as the core sees them. The core stays free of hardware: the till (app/till)
// supplies this interface from its device hub; without it the device methods answer
// DEVICE_UNAVAILABLE. Role checks, manager approval and audit happen in the core's handlers,
// so they are the same whichever device layer sits behind.
import type { DeviceKind, DeviceView, WeightReading } from '../../contract';

export interface DeviceSetting {
  deviceId: string;
  kind: DeviceKind;
  uri: string;
  options?: Record<string, string | number | boolean>;
}

export interface TillDevices {
  list(): Promise<DeviceView[]>;
  configure(setting: DeviceSetting): Promise<void>;
  remove(deviceId: string): Promise<void>;
  /** Queues a test receipt; resolves with the print job id. */
  testPrint(deviceId?: string): Promise<{ jobId: string }>;
  /** Kicks the cash drawer (through the receipt printer's drawer port or a drawer device). */
  openDrawer(): Promise<void>;
  /** A settled weight; throws PosError WEIGHT_UNSTABLE / WEIGHT_INVALID / DEVICE_UNAVAILABLE. */
  readWeight(): Promise<WeightReading>;
  /** Path (with its read-only key) of the customer display page. */
  customerDisplayPath(): string;
  /** Replaces the display key (old links stop working); returns the new path. */
  rotateDisplayKey(): string;
}

/** One shelf label (价签) as the core sees it; the till's composition prints it (drivers/label). */
export interface ShelfLabelData {
  sku: string;
  name: string;
  /** Fen per item ('each') or per kg ('kg'). */
  price: number;
  unit: 'each' | 'kg';
  perKgPrice: number | null;
  origin: string | null;
  memberPrice: number | null;
  barcode: string;
  /** A markdown label: the price before the markdown (printed struck through); `price` is the new one. */
  was?: number | null;
  /** A markdown label's note ("晚间特价 19:30起"). */
  note?: string | null;
}

/** The store's label printer (TSPL/ZPL); throws PosError DEVICE_ERROR on a printer fault. */
export interface ShelfLabelPrinter {
  print(labels: readonly ShelfLabelData[], copies: number): Promise<{ bytes: number }>;
}
