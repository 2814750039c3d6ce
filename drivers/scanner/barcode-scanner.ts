// Barcode scanner device. Three wire formats, one event: every scan becomes
// `{ data, symbology (AIM id where known), source }`:
//   - 'hid-pos':      HID POS usage page 0x8C reports (AIM id + continuation flag)
//   - 'hid-keyboard': keyboard-emulation scanner read through node-hid (usage codes + shift)
//   - 'serial':       RS-232/USB-CDC scanner with a configurable terminator
// Bad input (garbage, overlong, malformed reports) raises an 'error' event; the device stays usable.
import { PosDevice, type BaseDeviceEvents } from '../device';
import type { Transport } from '../transports';
import { splitAim, symbologyName } from './aim';
import { HidKeyboardDecoder } from './hid-keyboard';
import { HidPosReportError, parseHidPosReport } from './hid-pos-report';
import { LineAssembler, parseTerminator } from './line-assembler';

export interface ScanEvent {
  data: string;
  /** AIM symbology identifier, e.g. "]E0", or null when the scanner did not send one. */
  symbology: string | null;
  symbologyName: string | null;
  /** Device id and URI the scan came from. */
  source: string;
  at: string;
}

export interface ScannerEvents extends BaseDeviceEvents {
  data: [ScanEvent];
}

export type ScannerProtocol = 'hid-pos' | 'hid-keyboard' | 'serial';

export interface ScannerOptions {
  protocol: ScannerProtocol;
  /** Serial/keyboard: line terminator name (CR, LF, CRLF, TAB, ETX) or literal. Default CR. */
  terminator?: string;
  /** Longest accepted code in bytes. Default 512 (enough for payment codes and GS1 QR). */
  maxLength?: number;
  /** Scanner prefixes each code with its AIM id ("]E0..."): split it off. Default true. */
  aimPrefix?: boolean;
  now?: () => Date;
}

export class BarcodeScanner extends PosDevice<ScannerEvents> {
  readonly kind = 'scanner' as const;
  private lines: LineAssembler;
  private keyboard = new HidKeyboardDecoder();
  private kbLine = '';
  private hidParts: Buffer[] = [];
  private hidAim: string | null = null;
  private readonly maxLength: number;

  constructor(
    id: string,
    transport: Transport,
    private readonly opts: ScannerOptions,
  ) {
    super(id, transport);
    this.maxLength = opts.maxLength ?? 512;
    this.lines = new LineAssembler(parseTerminator(opts.terminator), this.maxLength);
  }

  protected onData(d: Buffer): void {
    if (this.state !== 'enabled') return; // a disabled scanner drops scans, as UnifiedPOS says
    switch (this.opts.protocol) {
      case 'serial':
        return this.onSerial(d);
      case 'hid-pos':
        return this.onHidPos(d);
      case 'hid-keyboard':
        return this.onKeyboard(d);
    }
  }

  private emitScan(text: string, aim: string | null): void {
    let symbology = aim,
      data = text;
    if (!symbology && this.opts.aimPrefix !== false) ({ aim: symbology, data } = splitAim(text));
    if (data.length === 0) return this.fail('SCANNER_EMPTY', 'Empty scan ignored');
    this.emit('data', {
      data,
      symbology,
      symbologyName: symbologyName(symbology),
      source: `${this.id} ${this.uri}`,
      at: (this.opts.now?.() ?? new Date()).toISOString(),
    });
  }

  private fail(code: string, en: string, detail?: string): void {
    this.reportError(code, en, detail);
  }

  private onSerial(d: Buffer): void {
    for (const r of this.lines.push(d)) {
      if (r.ok) this.emitScan(r.line, null);
      else if (r.code === 'OVERLONG') this.fail('SCANNER_OVERLONG', 'Scan too long, ignored. Scan again.', r.detail);
      else this.fail('SCANNER_GARBAGE', 'Unreadable scan, ignored. Scan again.', r.detail);
    }
  }

  private onHidPos(d: Buffer): void {
    let frag;
    try {
      frag = parseHidPosReport(d);
    } catch (err) {
      this.hidParts = [];
      this.hidAim = null;
      const detail = err instanceof HidPosReportError ? err.message : String(err);
      return this.fail('SCANNER_GARBAGE', 'Unreadable scan, ignored. Scan again.', detail);
    }
    this.hidParts.push(frag.data);
    this.hidAim ??= frag.aim;
    const total = this.hidParts.reduce((n, p) => n + p.length, 0);
    if (total > this.maxLength) {
      this.hidParts = [];
      this.hidAim = null;
      return this.fail('SCANNER_OVERLONG', 'Scan too long, ignored. Scan again.', `${total} bytes`);
    }
    if (frag.more) return;
    const bytes = Buffer.concat(this.hidParts);
    const aim = this.hidAim;
    this.hidParts = [];
    this.hidAim = null;
    const text = bytes.toString('utf8');
    if (text.includes('\ufffd') || [...bytes].some((x) => x < 0x20 && x !== 0x1d && x !== 0x1e && x !== 0x04)) {
      return this.fail('SCANNER_GARBAGE', 'Unreadable scan, ignored. Scan again.', 'invalid bytes in HID POS data');
    }
    this.emitScan(text, aim);
  }

  private onKeyboard(d: Buffer): void {
    let events;
    try {
      events = this.keyboard.push(d);
    } catch (err) {
      return this.fail('SCANNER_GARBAGE', 'Unreadable scan, ignored. Scan again.', (err as Error).message);
    }
    for (const e of events) {
      if (e.kind === 'enter') {
        const line = this.kbLine;
        this.kbLine = '';
        if (line === '\u0000overlong') continue;
        if (line) this.emitScan(line, null);
      } else if (e.kind === 'char') {
        if (this.kbLine === '\u0000overlong') continue;
        this.kbLine += e.char;
        if (this.kbLine.length > this.maxLength) {
          this.kbLine = '\u0000overlong';
          this.fail('SCANNER_OVERLONG', 'Scan too long, ignored. Scan again.');
        }
      }
    }
  }
}
