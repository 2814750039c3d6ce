import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openSqlite, runMigrations } from '../index';
import { makeTempDir } from '../../test-support';
import { MIGRATIONS } from './index';
import { applyMemberOps, mirrorMemberVisits } from '../../members';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const fact = (k: string, b: unknown) => ({ k, b });

describe('migration 0024 member visits', () => {
  it('mirrors other tills’ member sales once, skips malformed ones, and erasure removes them', () => {
    const dir = makeTempDir('pos-mig24-');
    dirs.push(dir);
    const db = openSqlite(join(dir, 'terminal.db'));
    expect(runMigrations(db, MIGRATIONS)).toContain(24);
    const sale = {
      memberId: 'M1',
      terminalId: 'T02',
      number: '200001',
      total: 1850,
      createdAt: '2026-12-05T10:00:00.000Z',
      lines: [{ sku: 'SKU-X', name: '牛奶' }, { bad: true }],
    };
    const n = mirrorMemberVisits(db, [
      fact('s1', sale),
      fact('s1', sale), // the same fact twice (a re-pull) is one visit
      fact('s2', { ...sale, memberId: undefined }), // a guest sale
      fact('s3', { ...sale, total: 'x' }), // malformed
      fact('s4', null),
    ]);
    expect(n).toBe(1);
    const row = db.prepare('SELECT * FROM member_visits').get() as Record<string, unknown>;
    expect(row).toMatchObject({ sale_id: 's1', member_id: 'M1', terminal_id: 'T02', total: 1850 });
    expect(JSON.parse(row['lines'] as string)).toEqual([{ sku: 'SKU-X', name: '牛奶', name_en: '牛奶' }]);
    applyMemberOps(db, [{ id: 'op1', s: 'store:S1', t: 'erase', e: 'M1', k: '', f: '', n: null, b: null }]);
    expect(db.prepare('SELECT COUNT(*) AS c FROM member_visits').get()).toEqual({ c: 0 });
    // An erased member's later sale facts are not mirrored either.
    expect(mirrorMemberVisits(db, [fact('s5', { ...sale })])).toBe(0);
    db.close();
  });
});
