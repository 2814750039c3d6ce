// The WAL check must agree with SQLite's own recovery: a healthy WAL and a WAL whose last
// transaction was torn are fine; a bad frame with committed transactions after it is damage
// (SQLite would silently drop them). WALs here are written by real SQLite.
import { afterEach, describe, expect, it } from 'vitest';
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../test-support';
import { openSqlite } from './open-database';
import { inspectWal, inspectWalBytes } from './wal-check';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A WAL of `commits` transactions, copied while the writer is still open (as at a power cut). */
function walWithCommits(commits: number): { wal: Buffer; dir: string } {
  const dir = makeTempDir('pos-walcheck-');
  dirs.push(dir);
  const db = openSqlite(join(dir, 'a.db'));
  db.pragma('wal_autocheckpoint = 0');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  for (let i = 0; i < commits; i++) db.prepare('INSERT INTO t (body) VALUES (?)').run('x'.repeat(3000));
  copyFileSync(join(dir, 'a.db'), join(dir, 'copy.db'));
  copyFileSync(join(dir, 'a.db-wal'), join(dir, 'copy.db-wal'));
  db.close();
  return { wal: readFileSync(join(dir, 'copy.db-wal')), dir };
}

function flipPageByte(wal: Buffer, frame: number): Buffer {
  const out = Buffer.from(wal);
  const pageSize = out.readUInt32BE(8);
  const at = 32 + frame * (24 + pageSize) + 24 + 100;
  out[at] = out[at]! ^ 0xff;
  return out;
}

describe('inspectWal', () => {
  it('reads a healthy WAL as ok and keeps every frame', () => {
    const { wal } = walWithCommits(10);
    const r = inspectWalBytes(wal);
    expect(r.state).toBe('ok');
    expect(r.frames).toBeGreaterThan(10);
    expect(r.keptFrames).toBe(r.frames);
  });

  it('a damaged last frame is a torn final write, not damage', () => {
    const { wal } = walWithCommits(10);
    const frames = inspectWalBytes(wal).frames;
    expect(inspectWalBytes(flipPageByte(wal, frames - 1)).state).toBe('ok');
  });

  it('a bad frame with committed transactions after it is damage, and SQLite does drop them', () => {
    const { wal, dir } = walWithCommits(10);
    const frames = inspectWalBytes(wal).frames;
    const damaged = flipPageByte(wal, Math.floor(frames / 2));
    const r = inspectWalBytes(damaged);
    expect(r.state).toBe('damaged');
    expect(r.droppedCommits).toBeGreaterThan(0);
    expect(r.detail).toMatch(/fails its checksum/);
    // What SQLite's recovery makes of the same bytes: fewer rows, and integrity_check says ok.
    writeFileSync(join(dir, 'copy.db-wal'), damaged);
    expect(inspectWal(join(dir, 'copy.db-wal')).state).toBe('damaged');
    const db = openSqlite(join(dir, 'copy.db'));
    expect((db.prepare('SELECT COUNT(*) AS n FROM t').get() as { n: number }).n).toBeLessThan(10);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('a damaged header hides every frame', () => {
    const { wal } = walWithCommits(3);
    const bad = Buffer.from(wal);
    bad[17] = bad[17]! ^ 0x01; // salt-1
    expect(inspectWalBytes(bad).state).toBe('damaged');
  });

  it('a missing, empty or header-only WAL is absent', () => {
    expect(inspectWal('/nonexistent/terminal.db-wal').state).toBe('absent');
    expect(inspectWalBytes(Buffer.alloc(0)).state).toBe('absent');
    const { wal } = walWithCommits(1);
    expect(inspectWalBytes(wal.subarray(0, 32)).state).toBe('absent');
  });
});
