// HID scanner emulator at the binding level: a virtual device on a MockHidBinding that sends
// HID POS (usage page 0x8C) or keyboard-emulation reports, through the real driver code.
import { buildHidPosReports, buildKeyboardReports, HID_POS_USAGE_PAGE } from '../scanner';
import type { MockHidBinding } from '../transports';

export class HidScannerEmulator {
  constructor(
    private readonly binding: MockHidBinding,
    readonly vendorId: number,
    readonly productId: number,
    readonly mode: 'hid-pos' | 'hid-keyboard',
  ) {
    binding.addDevice({
      vendorId,
      productId,
      product: mode === 'hid-pos' ? 'Emulated HID POS scanner' : 'Emulated keyboard scanner',
      usagePage: mode === 'hid-pos' ? HID_POS_USAGE_PAGE : 0x01,
      usage: mode === 'hid-pos' ? 0x02 : 0x06,
    });
  }

  scan(code: string, aim: string | null = null): void {
    const reports =
      this.mode === 'hid-pos' ? buildHidPosReports(code, aim) : buildKeyboardReports(`${aim ?? ''}${code}`);
    for (const r of reports) this.binding.emitReport(this.vendorId, this.productId, r);
  }

  sendReport(report: Uint8Array): void {
    this.binding.emitReport(this.vendorId, this.productId, report);
  }
  unplug(): void {
    this.binding.unplug(this.vendorId, this.productId);
  }
}
