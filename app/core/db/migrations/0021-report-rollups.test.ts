import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openSqlite, runMigrations } from '../index';
import { makeTempDir } from '../../test-support';
import { MIGRATIONS } from './index';
import { migration0021 } from './0021-report-rollups';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('migration 0021 report rollups', () => {
  it('adds an empty rollup, not yet built, keyed by day, dim, key and product', () => {
    const dir = makeTempDir('pos-mig21-');
    dirs.push(dir);
    const db = openSqlite(join(dir, 'terminal.db'));
    const before = MIGRATIONS.filter((m) => m.version < 21);
    runMigrations(db, before);
    expect(runMigrations(db, [...before, migration0021])).toEqual([21]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM report_rollup_state').get()).toEqual({ n: 0 });
    const insert = db.prepare(
      "INSERT INTO report_rollup (day, dim, key, sku, tx) VALUES ('2026-11-28', ?, 'k', 's', 1)",
    );
    insert.run('day');
    expect(() => insert.run('day')).toThrow(/UNIQUE|PRIMARY/);
    expect(() => insert.run('week')).toThrow(/CHECK/);
    expect(() =>
      db.prepare("INSERT INTO report_rollup_state (id, time_zone, built_at) VALUES (2, 'UTC', 'x')").run(),
    ).toThrow(/CHECK/);
    db.close();
  });
});
