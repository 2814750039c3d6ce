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

describe('migration 0013 face templates', () => {
  it('adds the template table on a till that has every earlier migration, and checks iv and tag sizes', () => {
    const dir = makeTempDir('pos-mig13-');
    dirs.push(dir);
    const db = openSqlite(join(dir, 'terminal.db'));
    runMigrations(
      db,
      MIGRATIONS.filter((m) => m.version < 13),
    );
    expect(runMigrations(db, MIGRATIONS)).toContain(13);
    const ins = db.prepare(
      'INSERT INTO face_templates (member_id, model, iv, tag, ciphertext, enrolled_at, enrolled_by) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    ins.run('m1', 'faceres', Buffer.alloc(12), Buffer.alloc(16), Buffer.alloc(64), '2026-12-05T00:00:00Z', 's1');
    expect(() =>
      ins.run('m2', 'faceres', Buffer.alloc(8), Buffer.alloc(16), Buffer.alloc(64), '2026-12-05T00:00:00Z', 's1'),
    ).toThrow(/CHECK/);
    expect(() =>
      ins.run('m1', 'faceres', Buffer.alloc(12), Buffer.alloc(16), Buffer.alloc(64), '2026-12-05T00:00:00Z', 's1'),
    ).toThrow(/UNIQUE/);
    expect(db.prepare('SELECT chain_wide FROM face_templates').get()).toEqual({ chain_wide: 0 });
    db.close();
  });
});
