// Debug snapshots on a real photo of three people (face-api's sample1): off by default, switching
// is audited, and a saved snapshot has every face blurred — BlazeFace no longer finds a face in
// it — while the rest of the picture is kept for checking the camera's view.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFaceAnalyzer, decodeImage, decodeImageFile, type FaceAnalyzer, type RgbFrame } from '../../models';
import { samplePath } from '../../models/testing';
import { blurRegions, DebugSnapshots, type SnapshotAuditEntry } from './debug-snapshot';

describe('debug snapshots', () => {
  let faces: FaceAnalyzer;
  let photo: RgbFrame;
  let dir: string;
  beforeAll(async () => {
    faces = await createFaceAnalyzer({ models: ['blazeface'], threads: 1 });
    photo = await decodeImage(readFileSync(samplePath(1)));
    dir = mkdtempSync(join(tmpdir(), 'snap-'));
  });
  afterAll(async () => {
    await faces?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('saves nothing while off, which is the default', async () => {
    const audit: SnapshotAuditEntry[] = [];
    const snaps = new DebugSnapshots({ faces, dir: join(dir, 'off'), audit: (e) => audit.push(e) });
    expect(snaps.enabled).toBe(false);
    expect(await snaps.offer('door-1', photo)).toBeNull();
    expect(existsSync(join(dir, 'off'))).toBe(false);
    expect(audit).toEqual([]);
  });

  it('needs who and why to switch on, and audits on and off', () => {
    const audit: SnapshotAuditEntry[] = [];
    const snaps = new DebugSnapshots({
      faces,
      dir,
      audit: (e) => audit.push(e),
      clock: () => new Date('2026-11-29T08:00:00Z'),
    });
    expect(() => snaps.set(true, '', 'line check')).toThrow(/who and why/);
    expect(() => snaps.set(true, 'tech-7', ' ')).toThrow(/who and why/);
    expect(snaps.enabled).toBe(false);
    snaps.set(true, 'tech-7', 'line placement check');
    snaps.set(true, 'tech-7', 'again'); // no change, no second entry
    snaps.set(false, 'tech-7', 'done');
    expect(audit.map((a) => [a.action, a.by, a.reason])).toEqual([
      ['debug-snapshot.enabled', 'tech-7', 'line placement check'],
      ['debug-snapshot.disabled', 'tech-7', 'done'],
    ]);
  });

  it('blurs every face before the picture is written, keeps the rest, and rate-limits', async () => {
    const before = await faces.detectFaces(photo);
    expect(before.length).toBeGreaterThanOrEqual(3);
    let now = Date.parse('2026-11-29T08:00:00Z');
    const snaps = new DebugSnapshots({
      faces,
      dir,
      audit: () => {},
      clock: () => new Date(now),
      minIntervalMs: 60_000,
      keep: 2,
    });
    snaps.set(true, 'tech-7', 'line placement check');
    const file = await snaps.offer('door 1', photo);
    expect(file).not.toBeNull();
    expect(await snaps.offer('door 1', photo)).toBeNull(); // within the interval

    const saved = await decodeImageFile(file!);
    expect([saved.width, saved.height]).toEqual([photo.width, photo.height]);
    const after = await faces.detectFaces(saved);
    expect(after).toEqual([]);

    // Away from the faces the picture is the camera's view (JPEG noise only).
    const regions = blurRegions(
      photo,
      before.map((f) => f.box),
    );
    const inside = (x: number, y: number) =>
      regions.some((r) => x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height);
    let diff = 0,
      n = 0,
      faceDiff = 0,
      fn = 0;
    for (let y = 0; y < photo.height; y += 3)
      for (let x = 0; x < photo.width; x += 3) {
        const i = (y * photo.width + x) * 3;
        const d = Math.abs((photo.data[i] as number) - (saved.data[i] as number));
        if (inside(x, y)) {
          faceDiff += d;
          fn++;
        } else {
          diff += d;
          n++;
        }
      }
    expect(diff / n).toBeLessThan(8);
    expect(faceDiff / fn).toBeGreaterThan((diff / n) * 2);

    // Only the newest `keep` snapshots stay on disk.
    for (let i = 0; i < 3; i++) {
      now += 61_000;
      await snaps.offer('door 1', photo);
    }
    expect(readdirSync(join(dir, 'door_1')).length).toBe(2);
  });

  it('blurs the head of a person box even where no face is found', () => {
    const r = blurRegions({ width: 100, height: 100 }, [], [{ x: 10, y: 20, width: 30, height: 80 }]);
    expect(r).toEqual([{ x: 10, y: 20, width: 30, height: 20 }]);
    // Regions are clipped to the frame.
    expect(blurRegions({ width: 50, height: 50 }, [{ x: 40, y: 40, width: 20, height: 20 }])).toEqual([
      { x: 37, y: 37, width: 13, height: 13 },
    ]);
  });
});
