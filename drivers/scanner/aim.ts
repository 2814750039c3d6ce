// AIM symbology identifiers ("]" + code character + modifier, ISO/IEC 15424), as sent by
// HID POS scanners and by serial scanners configured to prefix them.
const NAMES: Record<string, string> = {
  A: 'Code 39',
  C: 'Code 128',
  E: 'EAN/UPC',
  F: 'Codabar',
  G: 'Code 93',
  I: 'Interleaved 2 of 5',
  Q: 'QR Code',
  d: 'Data Matrix',
  L: 'PDF417',
  e: 'GS1 DataBar',
  z: 'Aztec',
  X: 'Other',
};

export const AIM_RE = /^\][A-Za-z][0-9A-Za-z]/;

export function symbologyName(aim: string | null): string | null {
  if (!aim) return null;
  if (aim === ']E4') return 'EAN-8';
  if (aim === ']E0') return 'EAN-13/UPC-A';
  if (aim === ']C1') return 'GS1-128';
  return NAMES[aim[1] ?? ''] ?? null;
}

/** Splits a leading AIM id off scanned text, if present. */
export function splitAim(text: string): { aim: string | null; data: string } {
  return AIM_RE.test(text) ? { aim: text.slice(0, 3), data: text.slice(3) } : { aim: null, data: text };
}
