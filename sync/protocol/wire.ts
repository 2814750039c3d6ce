// Wire encoding of op batches: columnar JSON (one array per op field, so repeated scopes, kinds
// and stamp prefixes sit next to each other) compressed with gzip. gzip's CRC32 and length
// trailer make a torn body fail to decode, and the declared count must match, so a damaged
// batch is refused whole. Inflating stops at MAX_BATCH_BYTES: a few hundred KiB of gzip can
// expand to gigabytes (a gzip bomb), so the output is capped, never trusted.
import { promisify } from 'node:util';
import { gunzip, gzipSync, gunzipSync } from 'node:zlib';
import { opRows, validateOpColumns, type Op, type OpColumns } from '../core';

export const WIRE_VERSION = 1;
export const OPS_CONTENT_TYPE = 'application/x-pos-ops+gzip';

interface Columns {
  id: string[];
  s: string[];
  t: string[];
  e: string[];
  k: string[];
  f: string[];
  n: (number | null)[];
  b: unknown[];
}

/**
 * Largest batch, inflated. A full page of 5,000 till ops is about 1 MiB of JSON; 32 MiB leaves
 * room for pages of large sale facts and stays far below what would strain a server.
 */
export const MAX_BATCH_BYTES = 32 * 1024 * 1024;

const gunzipAsync = promisify(gunzip);

export class WireError extends Error {
  constructor(
    public readonly code: 'BATCH_MALFORMED' | 'BATCH_TOO_LARGE',
    message: string,
  ) {
    super(message);
    this.name = 'WireError';
  }
}

/** Columns with the stamp split into a shared-prefix delta, which compresses much better. */
export function encodeBatch(ops: Op[], extra: Record<string, unknown> = {}): Buffer {
  const c: Columns = { id: [], s: [], t: [], e: [], k: [], f: [], n: [], b: [] };
  for (const o of ops) {
    c.id.push(o.id);
    c.s.push(o.s);
    c.t.push(o.t);
    c.e.push(o.e);
    c.k.push(o.k);
    c.f.push(o.f);
    c.n.push(o.n);
    c.b.push(o.b ?? null);
  }
  const body = { v: WIRE_VERSION, count: ops.length, ...extra, ops: c };
  return gzipSync(JSON.stringify(body), { level: 6 });
}

/** An op as stored, with its body still as JSON text (no parse/stringify on relay). */
export interface RawOpRow {
  id: string;
  s: string;
  t: string;
  e: string;
  k: string;
  f: string;
  n: number | null;
  b: string | null;
}

/** Same wire format as encodeBatch, built from stored rows without re-serialising bodies. */
export function encodeRawBatch(rows: RawOpRow[]): Buffer {
  const c = {
    id: [] as string[],
    s: [] as string[],
    t: [] as string[],
    e: [] as string[],
    k: [] as string[],
    f: [] as string[],
    n: [] as (number | null)[],
  };
  const bodies: string[] = [];
  for (const r of rows) {
    c.id.push(r.id);
    c.s.push(r.s);
    c.t.push(r.t);
    c.e.push(r.e);
    c.k.push(r.k);
    c.f.push(r.f);
    c.n.push(r.n);
    bodies.push(r.b ?? 'null');
  }
  const head = JSON.stringify({ v: WIRE_VERSION, count: rows.length, ops: c });
  // head ends with "]}}": append the b column inside ops, bodies are already valid JSON text.
  return gzipSync(`${head.slice(0, -2)},"b":[${bodies.join(',')}]}}`, { level: 6 });
}

export interface DecodedBatch {
  /** Untrusted op-shaped rows, built on first use (validateOps takes them). */
  readonly rows: unknown[];
  /** The batch's columns, each checked to hold `count` entries (validateOpColumns takes them). */
  columns: OpColumns;
  count: number;
  extra: Record<string, unknown>;
}

/** The batch's ops, validated column-wise; throws OpValidationError like validateOps. */
export function batchOps(batch: DecodedBatch): Op[] {
  return validateOpColumns(batch.columns, batch.count);
}

function inflateError(err: unknown, maxBytes: number): WireError {
  if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
    return new WireError(
      'BATCH_TOO_LARGE',
      `batch inflates to more than ${maxBytes} bytes; refused whole, send smaller batches`,
    );
  }
  return new WireError('BATCH_MALFORMED', `batch does not decompress (torn or not gzip): ${(err as Error).message}`);
}

/** Decodes to untrusted op-shaped rows; callers validate them with validateOps. */
export function decodeBatch(buf: Buffer, maxBytes = MAX_BATCH_BYTES): DecodedBatch {
  let inflated: Buffer;
  try {
    inflated = gunzipSync(buf, { maxOutputLength: maxBytes });
  } catch (err) {
    throw inflateError(err, maxBytes);
  }
  return parseBatch(inflated);
}

/**
 * Inflated on the event loop up to this size (a 200-op push is about 25 KiB of JSON, a full
 * 5,000-op page about 1 MiB): for such a body one synchronous inflate costs less than handing
 * it to zlib's thread pool, which takes a round trip per 16 KiB of output (docs/sync.md, _What
 * a push costs the event loop_). Past it, inflating goes on in the thread pool up to the cap.
 */
export const SYNC_INFLATE_BYTES = 2 * 1024 * 1024;

/**
 * decodeBatch for servers: bodies that inflate to at most SYNC_INFLATE_BYTES are inflated at
 * once (bounded work, less than the JSON.parse that follows); larger ones off the event loop in
 * zlib's thread pool, with the same cap, so a gzip bomb never holds the loop.
 */
export async function decodeBatchAsync(buf: Buffer, maxBytes = MAX_BATCH_BYTES): Promise<DecodedBatch> {
  let inflated: Buffer;
  try {
    inflated = gunzipSync(buf, { maxOutputLength: Math.min(maxBytes, SYNC_INFLATE_BYTES) });
  } catch (err) {
    if ((err as { code?: string }).code !== 'ERR_BUFFER_TOO_LARGE' || maxBytes <= SYNC_INFLATE_BYTES)
      throw inflateError(err, maxBytes);
    try {
      inflated = await gunzipAsync(buf, { maxOutputLength: maxBytes, chunkSize: 1024 * 1024 });
    } catch (err2) {
      throw inflateError(err2, maxBytes);
    }
  }
  return parseBatch(inflated);
}

function parseBatch(inflated: Buffer): DecodedBatch {
  const text = inflated.toString('utf8');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new WireError('BATCH_MALFORMED', 'batch is not valid JSON');
  }
  if (!body || typeof body !== 'object') throw new WireError('BATCH_MALFORMED', 'batch is not an object');
  const { v, count, ops, ...extra } = body as { v?: unknown; count?: unknown; ops?: unknown };
  if (v !== WIRE_VERSION) throw new WireError('BATCH_MALFORMED', `unsupported batch version ${String(v)}`);
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0)
    throw new WireError('BATCH_MALFORMED', 'batch count missing');
  if (!ops || typeof ops !== 'object') throw new WireError('BATCH_MALFORMED', 'batch has no ops');
  const c = ops as Partial<Record<keyof Columns, unknown>>;
  const keys: (keyof Columns)[] = ['id', 's', 't', 'e', 'k', 'f', 'n', 'b'];
  for (const key of keys) {
    const col = c[key];
    if (!Array.isArray(col) || col.length !== count)
      throw new WireError(
        'BATCH_MALFORMED',
        `column ${key} has ${Array.isArray(col) ? col.length : 'no'} entries, batch says ${count}`,
      );
  }
  const columns = c as OpColumns;
  let rows: unknown[] | undefined;
  return {
    get rows() {
      return (rows ??= opRows(columns, count));
    },
    columns,
    count,
    extra,
  };
}
