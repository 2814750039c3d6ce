// Helpers for sync tests: temp dirs, a unique Postgres schema per run, small HTTP calls.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import pino from 'pino';
import { poolDriver } from '../../sync';

export const quietLog = pino({ level: process.env['SYNC_TEST_LOG'] ?? 'silent' });

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `sync-${prefix}-`));
}

/** Cloud database for a test: real Postgres under a throwaway schema when DATABASE_URL is set, else PGlite. */
export function cloudDb(tag: string): { databaseUrl?: string; schema: string } {
  const schema = `t_${tag}_${Date.now().toString(36)}_${process.pid}`;
  const url = process.env['DATABASE_URL'];
  return url ? { databaseUrl: url, schema } : { schema };
}

/** Drops a test's throwaway cloud schema from real Postgres (nothing to do on PGlite). */
export async function dropCloudSchema(schema: string): Promise<void> {
  const url = process.env['DATABASE_URL'];
  if (!url) return;
  const d = poolDriver(url, 1);
  try {
    await d.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await d.close();
  }
}

export async function postJson(url: string, body: unknown, token?: string): Promise<{ status: number; body: any }> {
  const r = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  // Pull answers with a gzip batch; callers of this helper only read JSON answers.
  return { status: r.status, body: (r.headers.get('content-type') ?? '').includes('json') ? await r.json() : null };
}

export async function postRaw(url: string, body: Buffer, token?: string): Promise<{ status: number; body: any }> {
  const r = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-pos-ops+gzip', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body as unknown as BodyInit,
  });
  return { status: r.status, body: await r.json() };
}

export function gz(text: string): Buffer {
  return gzipSync(text);
}

export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | false | null | undefined>,
  timeoutMs = 30_000,
  everyMs = 100,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
