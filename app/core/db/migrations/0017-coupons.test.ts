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

describe('migration 0017 coupons', () => {
  it('adds one coupon per cart, held by the hub or offline, and the conflicts list', () => {
    const dir = makeTempDir('pos-mig17-');
    dirs.push(dir);
    const db = openSqlite(join(dir, 'terminal.db'));
    runMigrations(
      db,
      MIGRATIONS.filter((m) => m.version < 17),
    );
    expect(runMigrations(db, MIGRATIONS).includes(17)).toBe(true);
    const add = (cart: string, held: string) =>
      db
        .prepare("INSERT INTO cart_coupons (cart_id, code, terms, held, applied_at) VALUES (?, 'CPN1', '{}', ?, 'x')")
        .run(cart, held);
    add('c1', 'hub');
    expect(() => add('c1', 'offline')).toThrow();
    expect(() => add('c2', 'maybe')).toThrow();
    db.prepare("INSERT INTO coupon_conflicts (code, flagged_at, sales) VALUES ('CPN1', 'x', '[]')").run();
    db.close();
  });
});
