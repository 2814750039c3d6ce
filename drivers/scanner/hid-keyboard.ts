// HID keyboard-emulation scanners read through node-hid (not as keystrokes into the focused
// window): 8-byte boot keyboard reports [modifiers, reserved, key1..key6]. A key counts on the
// report where it first appears (scanners send press then an all-zero release). Enter ends a scan.
const SHIFT = 0x02 | 0x20;

const PLAIN: Record<number, string> = {};
const SHIFTED: Record<number, string> = {};
for (let u = 0x04; u <= 0x1d; u++) {
  PLAIN[u] = String.fromCharCode(0x61 + u - 0x04);
  SHIFTED[u] = String.fromCharCode(0x41 + u - 0x04);
}
'1234567890'.split('').forEach((c, i) => {
  PLAIN[0x1e + i] = c;
  SHIFTED[0x1e + i] = '!@#$%^&*()'[i]!;
});
const sym: [number, string, string][] = [
  [0x2c, ' ', ' '],
  [0x2d, '-', '_'],
  [0x2e, '=', '+'],
  [0x2f, '[', '{'],
  [0x30, ']', '}'],
  [0x31, '\\', '|'],
  [0x33, ';', ':'],
  [0x34, "'", '"'],
  [0x35, '`', '~'],
  [0x36, ',', '<'],
  [0x37, '.', '>'],
  [0x38, '/', '?'],
  [0x2b, '\t', '\t'],
];
for (const [u, p, s] of sym) {
  PLAIN[u] = p;
  SHIFTED[u] = s;
}
// Keypad digits, as some scanners send them.
'1234567890'.split('').forEach((c, i) => {
  PLAIN[0x59 + i] = c;
  SHIFTED[0x59 + i] = c;
});
PLAIN[0x54] = SHIFTED[0x54] = '/';
PLAIN[0x55] = SHIFTED[0x55] = '*';
PLAIN[0x56] = SHIFTED[0x56] = '-';
PLAIN[0x57] = SHIFTED[0x57] = '+';
PLAIN[0x63] = SHIFTED[0x63] = '.';

export const KEY_ENTER = 0x28;
export const KEY_KP_ENTER = 0x58;

export type KeyboardEvent = { kind: 'char'; char: string } | { kind: 'enter' } | { kind: 'unknown'; usage: number };

export class HidKeyboardDecoder {
  private prev = new Set<number>();
  push(report: Uint8Array): KeyboardEvent[] {
    if (report.length < 8) throw new Error(`keyboard report too short (${report.length} bytes)`);
    // Some devices prefix a report id: 9-byte reports start with it.
    const r = report.length === 9 ? report.subarray(1) : report;
    const shift = (r[0]! & SHIFT) !== 0;
    const keys = [...r.subarray(2, 8)].filter((k) => k !== 0);
    const out: KeyboardEvent[] = [];
    for (const k of keys) {
      if (this.prev.has(k)) continue;
      if (k === KEY_ENTER || k === KEY_KP_ENTER) out.push({ kind: 'enter' });
      else if (k === 0x01)
        continue; // rollover error
      else {
        const ch = (shift ? SHIFTED : PLAIN)[k];
        out.push(ch === undefined ? { kind: 'unknown', usage: k } : { kind: 'char', char: ch });
      }
    }
    this.prev = new Set(keys);
    return out;
  }
}

/** Keyboard reports that type `text` then Enter (for the HID keyboard scanner emulator). */
export function buildKeyboardReports(text: string): Buffer[] {
  const out: Buffer[] = [];
  const find = (ch: string): [number, boolean] => {
    for (const [u, c] of Object.entries(PLAIN)) if (c === ch && Number(u) < 0x54) return [Number(u), false];
    for (const [u, c] of Object.entries(SHIFTED)) if (c === ch && Number(u) < 0x54) return [Number(u), true];
    throw new Error(`cannot type ${JSON.stringify(ch)} on a US keyboard`);
  };
  for (const ch of text) {
    const [u, shift] = find(ch);
    out.push(Buffer.from([shift ? 0x02 : 0, 0, u, 0, 0, 0, 0, 0]), Buffer.alloc(8));
  }
  out.push(Buffer.from([0, 0, KEY_ENTER, 0, 0, 0, 0, 0]), Buffer.alloc(8));
  return out;
}
