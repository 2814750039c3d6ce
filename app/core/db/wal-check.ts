// Reads a SQLite WAL file before SQLite opens it, verifying its checksums the way SQLite's
// recovery does, to notice what recovery would silently throw away. SQLite stops at the first
// frame whose cumulative checksum fails and ignores everything after it; when frames of the
// same WAL generation (same salts) that end a transaction ("commit frames") lie after that
// point, committed transactions are about to be lost. With synchronous=FULL a power cut can
// only tear the transaction being written, never leave a valid commit after a bad frame, so
// this pattern means damage, not an ordinary crash.
//
// WAL layout (all header integers big-endian):
//   header 32 B: magic 0x377f0682|0x377f0683, version, page size, checkpoint seq, salt1, salt2, cksum1, cksum2
//   frame: 24 B header (page no, db size after commit or 0, salt1, salt2, cksum1, cksum2) + page
// Checksums run over 32-bit words (little-endian words for magic …82, big-endian for …83),
// cumulative from the header's over each frame's first 8 header bytes and its page.
import { closeSync, openSync, readSync, statSync } from 'node:fs';

export interface WalInspection {
  /** 'absent' (no WAL or empty), 'ok', or 'damaged' (SQLite's recovery would drop committed transactions). */
  state: 'absent' | 'ok' | 'damaged';
  frames: number;
  /** Frames SQLite will keep (up to and including the last valid commit frame). */
  keptFrames: number;
  /** Commit frames of this WAL generation that lie after the first bad frame. */
  droppedCommits: number;
  /** Why it is damaged, for the technician. */
  detail: string | null;
}

const HEADER = 32;
const FRAME_HEADER = 24;

function walChecksum(
  buf: Buffer,
  start: number,
  end: number,
  bigEndian: boolean,
  s: [number, number],
): [number, number] {
  let [s0, s1] = s;
  for (let i = start; i < end; i += 8) {
    const x0 = bigEndian ? buf.readUInt32BE(i) : buf.readUInt32LE(i);
    const x1 = bigEndian ? buf.readUInt32BE(i + 4) : buf.readUInt32LE(i + 4);
    s0 = (s0 + x0 + s1) >>> 0;
    s1 = (s1 + x1 + s0) >>> 0;
  }
  return [s0, s1];
}

/** Pure: inspects the bytes of a WAL file. Never throws. */
export function inspectWalBytes(buf: Buffer): WalInspection {
  if (buf.length < HEADER) return { state: 'absent', frames: 0, keptFrames: 0, droppedCommits: 0, detail: null };
  const magic = buf.readUInt32BE(0);
  const pageSize = buf.readUInt32BE(8);
  const frameSize = FRAME_HEADER + pageSize;
  const frames = pageSize >= 512 ? Math.floor((buf.length - HEADER) / frameSize) : 0;
  if (
    (magic !== 0x377f0682 && magic !== 0x377f0683) ||
    pageSize < 512 ||
    pageSize > 65536 ||
    (pageSize & (pageSize - 1)) !== 0
  ) {
    return {
      state: frames > 0 ? 'damaged' : 'absent',
      frames,
      keptFrames: 0,
      droppedCommits: 0,
      detail: frames > 0 ? 'WAL header is unreadable; SQLite will ignore every frame' : null,
    };
  }
  if (frames === 0) return { state: 'absent', frames: 0, keptFrames: 0, droppedCommits: 0, detail: null };
  const bigEndian = (magic & 1) === 1;
  let sum = walChecksum(buf, 0, 24, bigEndian, [0, 0]);
  if (sum[0] !== buf.readUInt32BE(24) || sum[1] !== buf.readUInt32BE(28)) {
    return {
      state: frames > 0 ? 'damaged' : 'absent',
      frames,
      keptFrames: 0,
      droppedCommits: 0,
      detail: frames > 0 ? 'WAL header checksum fails; SQLite will ignore every frame' : null,
    };
  }
  const salt1 = buf.readUInt32BE(16);
  const salt2 = buf.readUInt32BE(20);
  let keptFrames = 0;
  let firstBad = -1;
  for (let i = 0; i < frames; i++) {
    const at = HEADER + i * frameSize;
    if (buf.readUInt32BE(at + 8) !== salt1 || buf.readUInt32BE(at + 12) !== salt2) break; // end of this generation
    sum = walChecksum(buf, at, at + 8, bigEndian, sum);
    sum = walChecksum(buf, at + FRAME_HEADER, at + frameSize, bigEndian, sum);
    if (sum[0] !== buf.readUInt32BE(at + 16) || sum[1] !== buf.readUInt32BE(at + 20)) {
      firstBad = i;
      break;
    }
    if (buf.readUInt32BE(at + 4) !== 0) keptFrames = i + 1;
  }
  if (firstBad < 0) return { state: 'ok', frames, keptFrames, droppedCommits: 0, detail: null };
  let droppedCommits = 0;
  for (let i = firstBad + 1; i < frames; i++) {
    const at = HEADER + i * frameSize;
    if (buf.readUInt32BE(at + 8) === salt1 && buf.readUInt32BE(at + 12) === salt2 && buf.readUInt32BE(at + 4) !== 0)
      droppedCommits++;
  }
  // The bad frame itself may end a transaction too (its commit field is still readable unless
  // the damage hit the header; count it when it says so).
  const badAt = HEADER + firstBad * frameSize;
  if (
    buf.readUInt32BE(badAt + 8) === salt1 &&
    buf.readUInt32BE(badAt + 12) === salt2 &&
    buf.readUInt32BE(badAt + 4) !== 0 &&
    firstBad + 1 < frames
  )
    droppedCommits++;
  if (droppedCommits === 0) return { state: 'ok', frames, keptFrames, droppedCommits: 0, detail: null };
  return {
    state: 'damaged',
    frames,
    keptFrames,
    droppedCommits,
    detail: `WAL frame ${firstBad + 1} of ${frames} fails its checksum; ${droppedCommits} committed transaction(s) after it would be dropped`,
  };
}

/** Inspects the WAL file at `walFile` (usually `terminal.db-wal`); a missing file is 'absent'. */
export function inspectWal(walFile: string): WalInspection {
  let size: number;
  try {
    size = statSync(walFile).size;
  } catch {
    return { state: 'absent', frames: 0, keptFrames: 0, droppedCommits: 0, detail: null };
  }
  const buf = Buffer.alloc(size);
  const fd = openSync(walFile, 'r');
  try {
    let off = 0;
    while (off < size) {
      const n = readSync(fd, buf, off, size - off, off);
      if (n === 0) break;
      off += n;
    }
  } finally {
    closeSync(fd);
  }
  return inspectWalBytes(buf);
}
