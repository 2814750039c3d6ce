// 2 x 20 VFD customer pole display with the ESC/POS display command set (Epson DM-D and the
// many compatible Chinese "客显" units): ESC @ init, FF clear, US $ x y cursor, then text.
// CJK: displays with a GB2312/GB18030 font take GB18030 bytes directly (each CJK character
// uses two columns); without it, non-ASCII characters are shown as '?'.
import iconv from 'iconv-lite';
import { PosDevice, type BaseDeviceEvents } from '../device';
import type { Transport } from '../transports';

export const DISPLAY_COLS = 20;
export const DISPLAY_ROWS = 2;

export const displayCommands = {
  init: (): Buffer => Buffer.from([0x1b, 0x40]),
  clear: (): Buffer => Buffer.from([0x0c]),
  /** US $ x y — move cursor, 1-based column and row. */
  cursor: (col: number, row: number): Buffer => Buffer.from([0x1f, 0x24, col, row]),
};

/** Characters a CJK VFD font draws two columns wide. */
export const isWideChar = (ch: string): boolean =>
  /[\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60\uffe0-\uffe6]/.test(ch);

/** Cuts or pads text to exactly `cols` display columns. */
export function fitColumns(text: string, cols: number, cjk: boolean): string {
  let out = '',
    w = 0;
  for (const ch of text) {
    const c = cjk ? ch : ch.charCodeAt(0) < 0x80 ? ch : '?';
    const cw = cjk && isWideChar(c) ? 2 : 1;
    if (w + cw > cols) break;
    out += c;
    w += cw;
  }
  return out + ' '.repeat(cols - w);
}

/** Display columns `text` takes (CJK two each when `cjk`). */
export function columnWidth(text: string, cjk: boolean): number {
  let w = 0;
  for (const ch of text) w += cjk && isWideChar(ch) ? 2 : 1;
  return w;
}

/**
 * One row with `left` flush left and `right` flush right, e.g. an item name and its price.
 * The right part is kept whole; the left is cut to what fits, with at least one space between.
 */
export function twoColumns(left: string, right: string, cols: number, cjk: boolean): string {
  const r = fitColumns(right, cols, cjk).trimEnd();
  const room = cols - columnWidth(r, cjk) - 1;
  if (room <= 0) return fitColumns(r, cols, cjk);
  const l = fitColumns(left, room, cjk).trimEnd();
  return l + ' '.repeat(cols - columnWidth(l, cjk) - columnWidth(r, cjk)) + r;
}

export class PoleDisplay extends PosDevice<BaseDeviceEvents & { data: [Buffer] }> {
  readonly kind = 'display' as const;
  constructor(
    id: string,
    transport: Transport,
    private readonly opts: { cjk?: boolean } = {},
  ) {
    super(id, transport);
  }

  /** True when the display has a GB2312/GB18030 font (Chinese text); false means ASCII only. */
  get cjk(): boolean {
    return this.opts.cjk ?? false;
  }

  /** True when it is open, claimed and enabled, so writes reach it. */
  get ready(): boolean {
    return this.state === 'enabled' && this.connected;
  }

  protected onData(): void {
    /* displays do not talk back */
  }

  protected override async onEnabled(): Promise<void> {
    await this.transport.write(Buffer.concat([displayCommands.init(), displayCommands.clear()]));
  }

  async clear(): Promise<void> {
    this.assertEnabled();
    await this.transport.write(displayCommands.clear());
  }

  /** Bytes that write one full row (cursor to column 1, padded text). */
  encodeLine(row: 1 | 2, text: string): Buffer {
    const cjk = this.opts.cjk ?? false;
    const t = fitColumns(text, DISPLAY_COLS, cjk);
    return Buffer.concat([displayCommands.cursor(1, row), cjk ? iconv.encode(t, 'gb18030') : Buffer.from(t, 'latin1')]);
  }

  async writeLine(row: 1 | 2, text: string): Promise<void> {
    this.assertEnabled();
    await this.transport.write(this.encodeLine(row, text));
  }

  /** Both rows at once, e.g. item and price, or "TOTAL" and the amount due. */
  async show(line1: string, line2 = ''): Promise<void> {
    this.assertEnabled();
    await this.transport.write(Buffer.concat([this.encodeLine(1, line1), this.encodeLine(2, line2)]));
  }
}
