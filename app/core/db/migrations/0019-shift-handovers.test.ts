import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openSqlite, runMigrations } from '../index';
import { makeTempDir } from '../../test-support';
import { MIGRATIONS } from './index';
import { migration0019 } from './0019-shift-handovers';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('migration 0019 shift handovers', () => {
  it('adds immutable handover facts on an existing shift; a cashier cannot hand over to themselves', () => {
    const dir = makeTempDir('pos-mig19-');
    dirs.push(dir);
    const db = openSqlite(join(dir, 'terminal.db'));
    const before = MIGRATIONS.filter((m) => m.version < 19);
    runMigrations(db, before);
    db.prepare(
      "INSERT INTO shifts (id, terminal_id, staff_id, staff_name, staff_role, opened_at, float, auto_opened) VALUES ('sh1', 'T01', 'a', '李娜', 'cashier', '2026-12-05T01:00:00Z', 50000, 0)",
    ).run();
    expect(runMigrations(db, [...before, migration0019])).toEqual([19]);
    const insert = db.prepare(
      "INSERT INTO shift_handovers (id, shift_id, from_staff_id, to_staff_id, to_staff_name, to_staff_role, confirmed_by_id, at) VALUES (?, 'sh1', 'a', ?, '王伟', 'cashier', 'a', '2026-12-05T06:00:00Z')",
    );
    insert.run('h1', 'b');
    expect(() => insert.run('h2', 'a')).toThrow(/CHECK/);
    expect(() => db.prepare("UPDATE shift_handovers SET to_staff_id = 'c'").run()).toThrow(/immutable/);
    expect(() => db.prepare('DELETE FROM shift_handovers').run()).toThrow(/immutable/);
    db.close();
  });
});
