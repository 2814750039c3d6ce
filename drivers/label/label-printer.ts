// A label printer on any transport (tcp://host:9100, serial:/dev/ttyUSB0?baud=9600,
// usb:/dev/usb/lp0), speaking TSPL or ZPL. print() writes the whole job in one write; on a
// two-way link a TSPL printer is asked for its status first (ESC ! ? → one status byte), so a
// label is not sent to a printer with its head open or out of paper.
import type { Transport } from '../transports';
import type { LabelJob } from './label-job';
import { encodeTspl } from './tspl';
import { encodeZpl } from './zpl';

export type LabelLanguage = 'tspl' | 'zpl';

export interface LabelPrinterStatus {
  headOpen: boolean;
  paperJam: boolean;
  paperOut: boolean;
  ribbonOut: boolean;
  paused: boolean;
}

export type LabelPrinterFault =
  'LABEL_HEAD_OPEN' | 'LABEL_PAPER_OUT' | 'LABEL_PAPER_JAM' | 'LABEL_RIBBON_OUT' | 'LABEL_PAUSED';

export class LabelPrinterError extends Error {
  constructor(
    readonly code: LabelPrinterFault | 'LABEL_NO_ANSWER',
    message: string,
  ) {
    super(message);
    this.name = 'LabelPrinterError';
  }
}

/** TSPL `ESC ! ?` status byte (TSPL programming manual): bit 0 head open … bit 4 pause. */
export function parseTsplStatus(byte: number): LabelPrinterStatus {
  return {
    headOpen: (byte & 0x01) !== 0,
    paperJam: (byte & 0x02) !== 0,
    paperOut: (byte & 0x04) !== 0,
    ribbonOut: (byte & 0x08) !== 0,
    paused: (byte & 0x10) !== 0,
  };
}

export function encodeTsplStatus(s: LabelPrinterStatus): number {
  return (
    (s.headOpen ? 0x01 : 0) |
    (s.paperJam ? 0x02 : 0) |
    (s.paperOut ? 0x04 : 0) |
    (s.ribbonOut ? 0x08 : 0) |
    (s.paused ? 0x10 : 0)
  );
}

export const TSPL_STATUS_QUERY = Buffer.from([0x1b, 0x21, 0x3f]);

function fault(s: LabelPrinterStatus): LabelPrinterError | null {
  if (s.headOpen) return new LabelPrinterError('LABEL_HEAD_OPEN', 'Label printer head is open');
  if (s.paperOut) return new LabelPrinterError('LABEL_PAPER_OUT', 'Label printer is out of labels');
  if (s.paperJam) return new LabelPrinterError('LABEL_PAPER_JAM', 'Labels are jammed');
  if (s.ribbonOut) return new LabelPrinterError('LABEL_RIBBON_OUT', 'Label printer ribbon is out');
  if (s.paused) return new LabelPrinterError('LABEL_PAUSED', 'Label printer is paused');
  return null;
}

export interface LabelPrinterOptions {
  language: LabelLanguage;
  /** How long a status query may take; default 1500 ms. */
  statusTimeoutMs?: number;
}

export class LabelPrinter {
  constructor(
    readonly transport: Transport,
    private readonly opts: LabelPrinterOptions,
  ) {}

  get language(): LabelLanguage {
    return this.opts.language;
  }

  encode(jobs: readonly LabelJob[]): Buffer {
    return Buffer.concat(jobs.map((j) => (this.opts.language === 'tspl' ? encodeTspl(j) : encodeZpl(j))));
  }

  /** TSPL only, on a link that carries replies; null when the printer cannot be asked. */
  async status(): Promise<LabelPrinterStatus | null> {
    if (this.opts.language !== 'tspl' || this.transport.readsReplies === false) return null;
    if (!this.transport.isOpen) await this.transport.open();
    const byte = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.transport.off('data', onData);
        reject(new LabelPrinterError('LABEL_NO_ANSWER', 'Label printer does not answer'));
      }, this.opts.statusTimeoutMs ?? 1500);
      const onData = (d: Buffer) => {
        clearTimeout(timer);
        this.transport.off('data', onData);
        resolve(d[0] ?? 0);
      };
      this.transport.on('data', onData);
      this.transport.write(TSPL_STATUS_QUERY).catch((e: unknown) => {
        clearTimeout(timer);
        this.transport.off('data', onData);
        reject(e instanceof Error ? e : new Error(String(e)));
      });
    });
    return parseTsplStatus(byte);
  }

  async print(jobs: readonly LabelJob[]): Promise<{ bytes: number }> {
    if (!this.transport.isOpen) await this.transport.open();
    const s = await this.status();
    const f = s && fault(s);
    if (f) throw f;
    const bytes = this.encode(jobs);
    await this.transport.write(bytes);
    return { bytes: bytes.length };
  }

  async close(): Promise<void> {
    await this.transport.close();
  }
}
