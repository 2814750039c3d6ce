// HID POS barcode scanner reports (USB HID usage page 0x8C, "Bar Code Scanner"), in the
// 64-byte layout used by Honeywell/Zebra/Datalogic scanners in "HID POS" mode:
//   byte 0      report id 0x02
//   byte 1      number of valid data bytes in this report (0..56)
//   bytes 2-57  decoded data
//   bytes 58-60 AIM symbology identifier, e.g. "]E0" (zero when the scanner does not send it)
//   byte 61     vendor code id (ignored)    byte 62 reserved
//   byte 63     bit 0: continuation — more data for the same scan follows in the next report
// Long codes (QR, Data Matrix) span several reports; we join them until a report without
// the continuation flag arrives.
export const HID_POS_USAGE_PAGE = 0x8c;
export const HID_POS_REPORT_ID = 0x02;
export const HID_POS_DATA_BYTES = 56;

export interface HidPosFragment {
  data: Buffer;
  aim: string | null;
  more: boolean;
}

export class HidPosReportError extends Error {
  readonly code = 'SCANNER_REPORT_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'HidPosReportError';
  }
}

export function parseHidPosReport(report: Uint8Array): HidPosFragment {
  if (report.length < 64) throw new HidPosReportError(`HID POS report too short (${report.length} bytes, expected 64)`);
  if (report[0] !== HID_POS_REPORT_ID)
    throw new HidPosReportError(`unexpected HID report id 0x${(report[0] ?? 0).toString(16)}`);
  const len = report[1]!;
  if (len > HID_POS_DATA_BYTES) throw new HidPosReportError(`HID POS length byte ${len} exceeds ${HID_POS_DATA_BYTES}`);
  const aimBytes = report.subarray(58, 61);
  const aim = aimBytes[0] === 0x5d ? Buffer.from(aimBytes).toString('latin1') : null;
  return { data: Buffer.from(report.subarray(2, 2 + len)), aim, more: (report[63]! & 0x01) === 1 };
}

/** Builds the reports a scanner would send for one scan (used by the HID scanner emulator). */
export function buildHidPosReports(data: string | Uint8Array, aim: string | null = null): Buffer[] {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
  const out: Buffer[] = [];
  for (let off = 0; off === 0 || off < bytes.length; off += HID_POS_DATA_BYTES) {
    const chunk = bytes.subarray(off, off + HID_POS_DATA_BYTES);
    const r = Buffer.alloc(64);
    r[0] = HID_POS_REPORT_ID;
    r[1] = chunk.length;
    chunk.copy(r, 2);
    if (aim) Buffer.from(aim, 'latin1').subarray(0, 3).copy(r, 58);
    r[63] = off + HID_POS_DATA_BYTES < bytes.length ? 1 : 0;
    out.push(r);
  }
  return out;
}
