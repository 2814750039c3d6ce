// Printer status from ESC/POS replies: DLE EOT 1-4 (real-time), GS a (Automatic Status Back,
// 4-byte packets) and GS r 1 (in-order paper status, used as a job acknowledgement).
// Replies are told apart by their fixed bits, so a mixed byte stream can be split safely.

export interface PrinterStatus {
  online: boolean;
  coverOpen: boolean;
  paperNearEnd: boolean;
  paperOut: boolean;
  drawerOpen: boolean;
  /** Unrecoverable/auto-recoverable error (cutter jam, head overheat). */
  error: boolean;
}

export const UNKNOWN_STATUS: PrinterStatus = {
  online: false,
  coverOpen: false,
  paperNearEnd: false,
  paperOut: false,
  drawerOpen: false,
  error: false,
};

export type StatusCode = 'ok' | 'offline' | 'cover_open' | 'paper_out' | 'paper_near_end' | 'error' | 'disconnected';

/** English, for logs, the CLI and API users; the till's screens translate the status code itself. */
const MESSAGES: Record<StatusCode, string> = {
  ok: 'Printer ready',
  offline: 'Printer is offline. Check that it is switched on.',
  cover_open: 'Printer cover is open. Close the cover to continue.',
  paper_out: 'Printer is out of paper. Load a new roll; the receipt will print automatically.',
  paper_near_end: 'Paper roll is running low. Have a new roll ready.',
  error: 'Printer error (cutter or print head). Switch the printer off and on.',
  disconnected: 'Printer is not connected. Check the cable or network.',
};

export function statusMessage(code: StatusCode): string {
  return MESSAGES[code];
}

/** The one condition a cashier should act on first. */
export function statusCode(s: PrinterStatus, connected = true): StatusCode {
  if (!connected) return 'disconnected';
  if (s.coverOpen) return 'cover_open';
  if (s.paperOut) return 'paper_out';
  if (s.error) return 'error';
  if (!s.online) return 'offline';
  if (s.paperNearEnd) return 'paper_near_end';
  return 'ok';
}

/** Can a job be sent now without it sitting in a stopped printer? */
export const readyToPrint = (s: PrinterStatus): boolean => s.online && !s.coverOpen && !s.paperOut && !s.error;

const isDleEotReply = (x: number) => (x & 0x93) === 0x12;
const isAsbHeader = (x: number) => (x & 0x93) === 0x10;

/** Applies one DLE EOT n reply byte to a status. */
export function applyRealtimeStatus(prev: PrinterStatus, n: 1 | 2 | 3 | 4, byte: number): PrinterStatus {
  const s = { ...prev };
  switch (n) {
    case 1:
      s.drawerOpen = (byte & 0x04) === 0;
      /* pin 3 low = open on most drawers */ s.online = (byte & 0x08) === 0;
      break;
    case 2:
      s.coverOpen = (byte & 0x04) !== 0;
      s.paperOut = (byte & 0x20) !== 0;
      s.error = (byte & 0x40) !== 0;
      break;
    case 3:
      s.error = (byte & 0x6c) !== 0;
      break;
    case 4:
      s.paperNearEnd = (byte & 0x0c) !== 0;
      s.paperOut = (byte & 0x60) !== 0;
      break;
  }
  return s;
}

/** Parses a 4-byte ASB packet. */
export function parseAsb(p: Uint8Array): PrinterStatus {
  const [b1 = 0, b2 = 0, , b4 = 0] = p;
  return {
    drawerOpen: (b1 & 0x04) === 0,
    online: (b1 & 0x08) === 0,
    coverOpen: (b1 & 0x20) !== 0,
    paperOut: (b4 & 0x0c) !== 0,
    paperNearEnd: (b4 & 0x03) !== 0,
    error: (b2 & 0x2c) !== 0,
  };
}

export type StatusReply =
  | { kind: 'realtime'; byte: number }
  | { kind: 'asb'; packet: Buffer }
  | { kind: 'paper'; byte: number }
  | { kind: 'garbage'; byte: number };

/**
 * Splits the printer's reply stream. Stateful because ASB packets are 4 bytes and their
 * trailing bytes look like GS r replies.
 */
export class StatusReplyParser {
  private asb: number[] | null = null;
  push(chunk: Uint8Array): StatusReply[] {
    const out: StatusReply[] = [];
    for (const x of chunk) {
      if (this.asb) {
        this.asb.push(x);
        if (this.asb.length === 4) {
          out.push({ kind: 'asb', packet: Buffer.from(this.asb) });
          this.asb = null;
        }
        continue;
      }
      if (isDleEotReply(x)) out.push({ kind: 'realtime', byte: x });
      else if (isAsbHeader(x)) this.asb = [x];
      else if ((x & 0x90) === 0x00) out.push({ kind: 'paper', byte: x });
      else out.push({ kind: 'garbage', byte: x });
    }
    return out;
  }
}

/** Builds reply bytes (used by the emulator, and by tests as the reference). */
export function encodeRealtimeReply(n: 1 | 2 | 3 | 4, s: PrinterStatus): number {
  switch (n) {
    case 1:
      return 0x12 | (s.drawerOpen ? 0 : 0x04) | (s.online ? 0 : 0x08);
    case 2:
      return 0x12 | (s.coverOpen ? 0x04 : 0) | (s.paperOut ? 0x20 : 0) | (s.error ? 0x40 : 0);
    case 3:
      return 0x12 | (s.error ? 0x08 : 0);
    case 4:
      return 0x12 | (s.paperNearEnd ? 0x0c : 0) | (s.paperOut ? 0x60 : 0);
  }
}

export function encodeAsb(s: PrinterStatus): Buffer {
  const b1 =
    0x10 | (s.drawerOpen ? 0 : 0x04) | (s.online ? 0 : 0x08) | (s.coverOpen ? 0x20 : 0) | (s.paperOut ? 0x40 : 0);
  const b2 = s.error ? 0x08 : 0;
  const b4 = (s.paperNearEnd ? 0x03 : 0) | (s.paperOut ? 0x0c : 0);
  return Buffer.from([b1, b2, 0x00, b4]);
}

/** GS r 1 reply: bits 0-1 near end, bits 2-3 paper out. */
export const encodePaperReply = (s: PrinterStatus): number => (s.paperNearEnd ? 0x03 : 0) | (s.paperOut ? 0x0c : 0);
