// ESC/POS command bytes. Each builder returns the exact bytes from the Epson ESC/POS
// reference (and the Chinese-printer extensions: FS & / FS . Chinese character mode).
// Golden tests pin every byte here.
const b = (...bytes: number[]): Buffer => Buffer.from(bytes);
const ESC = 0x1b,
  GS = 0x1d,
  FS = 0x1c,
  DLE = 0x10,
  EOT = 0x04;

/** ESC @ — initialise printer (clears buffer settings, not the receive buffer). */
export const init = (): Buffer => b(ESC, 0x40);
/** ESC t n — select a single-byte character code table (0 = PC437). */
export const codePage = (n: number): Buffer => b(ESC, 0x74, n & 0xff);
/** FS & — enter Chinese (Kanji) character mode: following bytes are GB2312/GBK/GB18030 pairs. */
export const chineseModeOn = (): Buffer => b(FS, 0x26);
/** FS . — leave Chinese character mode. */
export const chineseModeOff = (): Buffer => b(FS, 0x2e);
/** FS C n — select the Kanji character code system (Epson: 0 JIS, 1 Shift-JIS); Chinese firmwares ignore it. */
export const kanjiCodeSystem = (n: number): Buffer => b(FS, 0x43, n & 0xff);
/** ESC a n — justification (0 left, 1 centre, 2 right). */
export const align = (n: 0 | 1 | 2): Buffer => b(ESC, 0x61, n);
/** GS ! n — character size; double width and height = 0x11. */
export const textSize = (n: number): Buffer => b(GS, 0x21, n & 0xff);
export const lf = (): Buffer => b(0x0a);
/** ESC d n — print and feed n lines. */
export const feedLines = (n: number): Buffer => b(ESC, 0x64, n & 0xff);

export type CutMode = 'full' | 'partial';
/** GS V m n (function B): feed n dots then cut; m = 65 full, 66 partial. */
export const cut = (mode: CutMode = 'partial', feed = 0): Buffer =>
  b(GS, 0x56, mode === 'full' ? 0x41 : 0x42, feed & 0xff);

/**
 * ESC p m t1 t2 — generate a pulse on drawer kick-out connector pin m (0 = pin 2, 1 = pin 5),
 * on for t1 x 2 ms, off for t2 x 2 ms.
 */
export function drawerKick(pin: 2 | 5 = 2, onMs = 100, offMs = 200): Buffer {
  const t1 = Math.min(255, Math.max(1, Math.round(onMs / 2)));
  const t2 = Math.min(255, Math.max(t1, Math.round(offMs / 2)));
  return b(ESC, 0x70, pin === 2 ? 0 : 1, t1, t2);
}

export type QrErrorLevel = 'L' | 'M' | 'Q' | 'H';
/**
 * GS ( k — QR code (model 2): select model, module size, error correction level, store the
 * data (fn 80), print it (fn 81). Data bytes are sent as-is (ASCII/UTF-8 URLs).
 */
export function qrCode(data: string | Uint8Array, opts: { size?: number; level?: QrErrorLevel } = {}): Buffer {
  const payload = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
  if (payload.length === 0 || payload.length > 7089) throw new RangeError('QR data must be 1..7089 bytes');
  const size = Math.min(16, Math.max(1, opts.size ?? 6));
  const level = { L: 48, M: 49, Q: 50, H: 51 }[opts.level ?? 'M'];
  const len = payload.length + 3;
  return Buffer.concat([
    b(GS, 0x28, 0x6b, 4, 0, 0x31, 0x41, 0x32, 0x00), // fn 65: model 2
    b(GS, 0x28, 0x6b, 3, 0, 0x31, 0x43, size), // fn 67: module size
    b(GS, 0x28, 0x6b, 3, 0, 0x31, 0x45, level), // fn 69: error correction
    b(GS, 0x28, 0x6b, len & 0xff, len >> 8, 0x31, 0x50, 0x30),
    payload, // fn 80: store
    b(GS, 0x28, 0x6b, 3, 0, 0x31, 0x51, 0x30), // fn 81: print
  ]);
}

/** DLE EOT n — real-time status: 1 printer, 2 offline cause, 3 error cause, 4 paper roll sensor. */
export const realtimeStatus = (n: 1 | 2 | 3 | 4): Buffer => b(DLE, EOT, n);
/**
 * GS a n — Automatic Status Back. n is a bit mask: 1 drawer, 2 online/offline, 4 error,
 * 8 paper roll sensor. 0 disables ASB.
 */
export const automaticStatusBack = (mask = 0x0f): Buffer => b(GS, 0x61, mask & 0xff);
/** GS r 1 — transmit paper sensor status. Not real-time: answered only after all earlier data is processed. */
export const transmitPaperStatus = (): Buffer => b(GS, 0x72, 0x01);
