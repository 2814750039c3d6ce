import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openSqlite, runMigrations } from '../index';
import { makeTempDir } from '../../test-support';
import { MIGRATIONS } from './index';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('migration 0015 stored value', () => {
  it('keeps every sale and return tender, widens the tender types, and the rows stay immutable', () => {
    const dir = makeTempDir('pos-mig15-');
    dirs.push(dir);
    const db = openSqlite(join(dir, 'terminal.db'));
    runMigrations(
      db,
      MIGRATIONS.filter((m) => m.version < 15),
    );
    db.exec(`
      INSERT INTO sales (id, number, seq, receipt_code, terminal_id, store_id, cashier_id, cashier_name, cashier_role, subtotal, discount, rounding, total, currency, change, created_at)
        VALUES ('s1', 'T01-000001', 1, 'R1', 'T01', 'S001', 'c', 'C', 'cashier', 1000, 0, 0, 1000, 'CNY', 0, '2026-12-01T00:00:00Z');
      INSERT INTO sale_tenders (id, sale_id, position, type, amount, tendered, reference, provider) VALUES ('st1', 's1', 1, 'cash', 1000, 1000, NULL, NULL);
      INSERT INTO returns (id, sale_id, terminal_id, amount, reason, staff_id, approved_by_id, approved_by_name, approved_by_role, created_at) VALUES ('r1', 's1', 'T01', 500, 'x', 'c', 'm', 'M', 'manager', '2026-12-01T01:00:00Z');
      INSERT INTO return_tenders (id, return_id, sale_tender_id, type, amount) VALUES ('rt1', 'r1', 'st1', 'cash', 500);
    `);
    expect(() =>
      db
        .prepare(
          "INSERT INTO sale_tenders (id, sale_id, position, type, amount, tendered) VALUES ('st2', 's1', 2, 'stored_value', 1, 1)",
        )
        .run(),
    ).toThrow();
    expect(runMigrations(db, MIGRATIONS)).toContain(15);
    expect(db.prepare('SELECT id, type FROM sale_tenders').all()).toEqual([{ id: 'st1', type: 'cash' }]);
    expect(db.prepare('SELECT id, sale_tender_id FROM return_tenders').all()).toEqual([
      { id: 'rt1', sale_tender_id: 'st1' },
    ]);
    for (const type of ['stored_value', 'points'])
      db.prepare(
        "INSERT INTO sale_tenders (id, sale_id, position, type, amount, tendered) VALUES (?, 's1', 2, ?, 1, 1)",
      ).run(`st-${type}`, type);
    expect(() =>
      db
        .prepare(
          "INSERT INTO sale_tenders (id, sale_id, position, type, amount, tendered) VALUES ('x', 's1', 3, 'gold', 1, 1)",
        )
        .run(),
    ).toThrow();
    expect(() => db.prepare("UPDATE sale_tenders SET amount = 2 WHERE id = 'st1'").run()).toThrow(/immutable/);
    expect(() => db.prepare("DELETE FROM return_tenders WHERE id = 'rt1'").run()).toThrow(/immutable/);
    // The foreign key still names the rebuilt table.
    expect(() =>
      db
        .prepare(
          "INSERT INTO return_tenders (id, return_id, sale_tender_id, type, amount) VALUES ('rt2', 'r1', 'nope', 'cash', 1)",
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
    db.prepare(
      "INSERT INTO stored_value_entries (id, member_id, kind, principal, bonus, ref, terminal_id, store_day, created_at) VALUES ('e1', 'm1', 'topup', 20000, 5000, 'e1', 'T01', '2026-12-01', '2026-12-01T00:00:00Z')",
    ).run();
    expect(() => db.prepare("UPDATE stored_value_entries SET principal = 1 WHERE id = 'e1'").run()).toThrow(
      /immutable/,
    );
    expect(() =>
      db
        .prepare(
          "INSERT INTO stored_value_entries (id, member_id, kind, principal, bonus, ref, terminal_id, store_day, created_at) VALUES ('e2', 'm1', 'gift', 1, 0, 'e2', 'T01', '2026-12-01', 'x')",
        )
        .run(),
    ).toThrow();
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
  });
});
