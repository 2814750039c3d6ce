import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openSqlite, runMigrations } from '../index';
import { makeTempDir } from '../../test-support';
import { MIGRATIONS } from './index';
import { migration0011 } from './0011-staff-pin-reset';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('migration 0011 staff PIN reset', () => {
  it('keeps existing staff as they were: active, no PIN change due; the flag only takes 0 or 1', () => {
    const dir = makeTempDir('pos-mig11-');
    dirs.push(dir);
    const db = openSqlite(join(dir, 'terminal.db'));
    const before = MIGRATIONS.filter((m) => m.version < 11);
    runMigrations(db, before);
    db.prepare(
      "INSERT INTO staff (id, name, name_en, role, pin_hash, active, created_at) VALUES ('s1', '李娜', 'Li Na', 'cashier', 'x', 1, '2026-11-29T00:00:00Z')",
    ).run();
    expect(runMigrations(db, [...before, migration0011])).toEqual([11]);
    expect(
      db.prepare("SELECT active, must_change_pin, disabled_at, updated_at FROM staff WHERE id = 's1'").get(),
    ).toEqual({
      active: 1,
      must_change_pin: 0,
      disabled_at: null,
      updated_at: null,
    });
    expect(() => db.prepare("UPDATE staff SET must_change_pin = 2 WHERE id = 's1'").run()).toThrow(/CHECK/);
    db.close();
  });
});
