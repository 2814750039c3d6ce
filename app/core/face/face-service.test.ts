// The service's rules with a real SQLite file and key file. The ONNX models are replaced by a
// stand-in embedder (named as such: it maps a tiny PNG's 17th byte to a fixed template), so these
// tests check consent, erasure, refusals and masking; the real models are exercised by
// test/face/face-calibration.test.ts and test/e2e/face.test.ts.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { StaffView } from '../../contract';
import { MIGRATIONS, openSqlite, runMigrations } from '../db';
import { makeTempDir } from '../test-support';
import type { FaceAnalysis, FaceEmbedder } from './face-policy';
import { FaceService } from './face-service';
import { maskName, type FaceMemberDirectory } from './member-directory';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const templates = [0, 1, 2].map((k) => {
  const v = Float32Array.from({ length: 1024 }, (_, i) => Math.sin(i * (0.1 + k * 0.7)));
  const n = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  return v.map((x) => x / n);
});
/** A "picture": PNG signature + padding; byte 16 picks the template, 255 = two faces, 254 = spoof. */
const picture = (k: number) =>
  Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), Buffer.alloc(12), Buffer.from([k])]).toString('base64');
const box = { x: 0, y: 0, width: 120, height: 120 };
const standInEmbedder: FaceEmbedder = {
  async analyze(bytes): Promise<FaceAnalysis> {
    const k = bytes[16] as number;
    if (k === 255)
      return {
        faces: [
          { box, score: 0.9 },
          { box, score: 0.8 },
        ],
        model: 'faceres',
      };
    if (k === 254)
      return {
        faces: [{ box, score: 0.9 }],
        face: { antispoof: 0.05, liveness: 0.9, embedding: templates[0]! },
        model: 'faceres',
      };
    return {
      faces: [{ box, score: 0.9 }],
      face: { antispoof: 0.9, liveness: 0.9, embedding: templates[k]! },
      model: 'faceres',
    };
  },
};

function directory() {
  const members = new Map<string, { name: string; level: string; face: boolean; erased: boolean }>([
    ['M1', { name: '王小明', level: 'gold', face: false, erased: false }],
    ['M2', { name: 'Li Lei', level: 'silver', face: false, erased: false }],
  ]);
  const live = (id: string) => {
    const m = members.get(id);
    return m && !m.erased ? m : null;
  };
  const dir: FaceMemberDirectory = {
    memberExists: async (id) => !!live(id),
    faceConsent: async (id) => ({ face: !!live(id)?.face, chainWide: false }),
    candidateView: async (id) => {
      const m = live(id);
      return m ? { maskedName: maskName(m.name), level: m.level } : null;
    },
    recordFaceConsent: async (id) => {
      const m = live(id);
      if (m) m.face = true;
    },
  };
  return { dir, members };
}

const cashier: StaffView = { id: 'staff-1', name: '李娜', role: 'cashier' } as StaffView;
const consent = { face: true, chainWide: false, channel: 'till' as const, textVersion: 'face-2026-12' };

function service() {
  const dataDir = makeTempDir('pos-face-svc-');
  dirs.push(dataDir);
  const db = openSqlite(join(dataDir, 'terminal.db'));
  runMigrations(db, MIGRATIONS);
  const { dir, members } = directory();
  const svc = new FaceService({
    db,
    dataDir,
    terminalId: 'T01',
    clock: () => new Date('2026-12-05T02:00:00Z'),
    logger: pino({ level: 'silent' }),
    embedder: () => standInEmbedder,
    directory: dir,
  });
  return { svc, db, members };
}

describe('FaceService', () => {
  it('enrols only with consent and a known member, then offers the member masked, for the cashier to confirm', async () => {
    const { svc, db } = service();
    await expect(svc.enroll('M1', picture(0), { ...consent, face: false }, cashier)).rejects.toMatchObject({
      code: 'FACE_CONSENT_REQUIRED',
    });
    await expect(svc.enroll('M9', picture(0), consent, cashier)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      details: { reason: 'member' },
    });
    await expect(svc.enroll('M1', picture(255), consent, cashier)).rejects.toMatchObject({
      code: 'FACE_UNUSABLE',
      details: { reason: 'several-faces' },
    });
    await svc.enroll('M1', picture(0), consent, cashier);
    await svc.enroll('M2', picture(1), consent, cashier);
    const r = await svc.identify(picture(0));
    expect(r).toEqual({ candidates: [{ memberId: 'M1', maskedName: '王**', level: 'gold', score: 1 }] });
    expect(await svc.identify(picture(2))).toEqual({ candidates: [] });
    expect(await svc.identify(picture(255))).toEqual({ candidates: [], reason: 'several-faces' });
    expect(await svc.identify(picture(254))).toEqual({ candidates: [], reason: 'spoof' });
    svc.confirm('M1', 0.98, cashier);
    const actions = (
      db.prepare('SELECT action, detail FROM audit_log ORDER BY id').all() as { action: string; detail: string }[]
    ).map((a) => a.action);
    expect(actions).toEqual(['member.face.enroll', 'member.face.enroll', 'member.face.confirm']);
    expect(JSON.stringify(db.prepare('SELECT detail FROM audit_log').all())).not.toContain('王');
  });

  it('a withdrawn consent or an erasure removes the template; the member is never offered again', async () => {
    const { svc, db, members } = service();
    await svc.enroll('M1', picture(0), consent, cashier);
    await svc.enroll('M2', picture(1), consent, cashier);
    members.get('M1')!.face = false; // withdrawn (a replicated consent.face op)
    expect(await svc.identify(picture(0))).toEqual({ candidates: [] });
    expect(db.prepare("SELECT count(*) AS n FROM face_templates WHERE member_id = 'M1'").get()).toEqual({ n: 0 });
    expect(svc.eraseMembers(['M2'])).toBe(1);
    expect(db.prepare('SELECT count(*) AS n FROM face_templates').get()).toEqual({ n: 0 });
    expect(await svc.identify(picture(1))).toEqual({ candidates: [] });
  });

  it('refuses bytes that are not a picture, and answers FACE_UNAVAILABLE without models', async () => {
    const { svc } = service();
    await expect(svc.identify(Buffer.from('hello, not an image at all').toString('base64'))).rejects.toMatchObject({
      code: 'FACE_UNUSABLE',
      details: { reason: 'image' },
    });
    const dataDir = makeTempDir('pos-face-svc-');
    dirs.push(dataDir);
    const db = openSqlite(join(dataDir, 'terminal.db'));
    runMigrations(db, MIGRATIONS);
    const none = new FaceService({
      db,
      dataDir,
      terminalId: 'T01',
      clock: () => new Date(),
      logger: pino({ level: 'silent' }),
      embedder: () => null,
      directory: directory().dir,
    });
    await expect(none.identify(picture(0))).rejects.toMatchObject({
      code: 'FACE_UNAVAILABLE',
      details: { reason: 'models' },
    });
  });
});
