// Templates at rest: the key file is created 0600 and a loosened one is refused; what SQLite
// holds is ciphertext (no float of the template appears in it); a row moved onto another member
// or read with another key does not decrypt; templates come back after a restart; erasure
// removes the row and the in-memory copy.
import { chmodSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, openSqlite, runMigrations } from '../db';
import { makeTempDir } from '../test-support';
import { FACE_KEY_FILE, loadFaceKey } from './face-key';
import { FaceTemplates } from './face-templates';
import { openTemplate, sealTemplate } from './template-cipher';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const dir = () => {
  const d = makeTempDir('pos-face-');
  dirs.push(d);
  return d;
};
const template = (seed: number) => {
  const v = Float32Array.from({ length: 1024 }, (_, i) => Math.sin(i * 0.37 + seed));
  const n = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  return v.map((x) => x / n);
};

describe('face key file', () => {
  it('is created with mode 0600, reused on the next start, and refused when others can read it', () => {
    const d = dir();
    const key = loadFaceKey(d);
    expect(key).toHaveLength(32);
    expect(statSync(join(d, FACE_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(loadFaceKey(d).equals(key)).toBe(true);
    chmodSync(join(d, FACE_KEY_FILE), 0o644);
    expect(() => loadFaceKey(d)).toThrow(expect.objectContaining({ code: 'FACE_UNAVAILABLE' }));
  });
});

describe('template cipher', () => {
  it('round-trips, and refuses another member id, another key or a flipped byte', () => {
    const key = Buffer.alloc(32, 7);
    const t = template(1);
    const sealed = sealTemplate(key, 'M1', t);
    expect(openTemplate(key, 'M1', sealed)).toEqual(t);
    expect(() => openTemplate(key, 'M2', sealed)).toThrow();
    expect(() => openTemplate(Buffer.alloc(32, 8), 'M1', sealed)).toThrow();
    const flipped = Buffer.from(sealed.ciphertext);
    flipped[10] = (flipped[10] as number) ^ 1;
    expect(() => openTemplate(key, 'M1', { ...sealed, ciphertext: flipped })).toThrow();
  });
});

describe('FaceTemplates', () => {
  it('stores only ciphertext, reloads after a restart, and forgets an erased member', () => {
    const d = dir();
    const path = join(d, 'terminal.db');
    let db = openSqlite(path);
    runMigrations(db, MIGRATIONS);
    const key = loadFaceKey(d);
    let store = new FaceTemplates(db, key, 'faceres');
    const t1 = template(1);
    store.put('M1', t1, { chainWide: false, at: '2026-12-05T01:00:00Z', staffId: 's1' });
    store.put('M2', template(2), { chainWide: true, at: '2026-12-05T01:00:00Z', staffId: 's1' });
    db.close();
    // No 4-byte float of the template appears anywhere in the database file.
    const file = readFileSync(path);
    const plain = Buffer.from(t1.buffer);
    for (let i = 0; i < 64; i += 4) expect(file.includes(plain.subarray(i * 4, i * 4 + 12))).toBe(false);

    db = openSqlite(path);
    store = new FaceTemplates(db, key, 'faceres');
    expect(store.index.size).toBe(2);
    expect(store.index.search(t1, { threshold: 0.99, limit: 3 }).map((m) => m.memberId)).toEqual(['M1']);
    // A row copied onto another member does not decrypt under that member's id.
    db.prepare(
      "INSERT INTO face_templates (member_id, model, iv, tag, ciphertext, enrolled_at, enrolled_by) SELECT 'M9', model, iv, tag, ciphertext, enrolled_at, enrolled_by FROM face_templates WHERE member_id = 'M1'",
    ).run();
    const reloaded = new FaceTemplates(db, key, 'faceres');
    expect(reloaded.unreadable).toEqual(['M9']);
    expect(reloaded.index.has('M9')).toBe(false);

    expect(store.delete('M1')).toBe(true);
    expect(store.index.search(t1, { threshold: 0.9, limit: 3 })).toEqual([]);
    expect(db.prepare("SELECT count(*) AS n FROM face_templates WHERE member_id = 'M1'").get()).toEqual({ n: 0 });
    db.close();
  });
});
