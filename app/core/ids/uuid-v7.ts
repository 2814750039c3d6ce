// uuid v7 (RFC 9562): 48-bit Unix ms timestamp + random bits. Globally unique ids for facts
// that replicate between terminals, hub and cloud, and roughly time-ordered for indexes.
import { randomBytes } from 'node:crypto';

let lastMs = -1;
let counter = 0;

export function uuidv7(now: Date | number = Date.now()): string {
  let ms = typeof now === 'number' ? now : now.getTime();
  const bytes = randomBytes(16);
  // Keep ids minted in this process in order: a 12-bit counter in rand_a within one
  // millisecond; on overflow (or a clock step back) borrow the next millisecond.
  if (ms <= lastMs) {
    counter++;
    if (counter > 0xfff) {
      lastMs++;
      counter = 0;
    }
    ms = lastMs;
  } else {
    lastMs = ms;
    counter = bytes.readUInt16BE(6) & 0x7ff;
  }
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | ((counter >> 8) & 0x0f);
  bytes[7] = counter & 0xff;
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export const UUID_V7_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
