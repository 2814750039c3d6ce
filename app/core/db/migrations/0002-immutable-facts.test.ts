import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openSqlite, runMigrations } from '../index';
import { makeTempDir } from '../../test-support';
import { migration0001 } from './0001-initial-schema';
import { migration0002, IMMUTABLE_TABLES } from './0002-immutable-facts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('migration 0002 immutable facts', () => {
  it('refuses UPDATE and DELETE on facts but allows INSERT; the cart stays mutable', () => {
    const dir = makeTempDir('pos-mig2-');
    dirs.push(dir);
    const db = openSqlite(join(dir, 'terminal.db'));
    expect(runMigrations(db, [migration0001, migration0002])).toEqual([1, 2]);
    const at = '2026-11-29T00:00:00.000Z';
    db.prepare(
      "INSERT INTO stock_movements (id, sku, kind, quantity, terminal_id, created_at) VALUES ('m1', 's', 'receive', 5, 'T01', ?)",
    ).run(at);
    expect(() => db.prepare("UPDATE stock_movements SET quantity = 6 WHERE id = 'm1'").run()).toThrow(/immutable/);
    expect(() => db.prepare("DELETE FROM stock_movements WHERE id = 'm1'").run()).toThrow(/immutable/);
    db.prepare("INSERT INTO audit_log (id, at, action, terminal_id, detail) VALUES ('a1', ?, 'x', 'T01', '{}')").run(
      at,
    );
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/immutable/);
    db.prepare("INSERT INTO carts (id, status, created_at, updated_at) VALUES ('c1', 'open', ?, ?)").run(at, at);
    db.prepare("UPDATE carts SET updated_at = ? WHERE id = 'c1'").run(at);
    db.prepare("DELETE FROM carts WHERE id = 'c1'").run();
    const triggers = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as { name: string }[]
    ).map((r) => r.name);
    for (const t of IMMUTABLE_TABLES) {
      expect(triggers).toContain(`${t}_no_update`);
      expect(triggers).toContain(`${t}_no_delete`);
    }
    db.close();
  });
});
