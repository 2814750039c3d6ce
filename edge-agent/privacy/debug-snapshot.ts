// Optional debug snapshots of a camera, for a technician checking the line placement. Off by
// default: counting never stores or sends a frame. When a technician switches snapshots on
// (audited, with who and why), each saved picture has every face blurred before it touches the
// disk: faces found by BlazeFace, and, as a fail-safe for faces BlazeFace misses (small, turned
// away, seen from above), the head region of every detected person box. Snapshots stay on the
// box (the agent's data dir), are rate-limited per camera, and only the newest few are kept.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp, { type OverlayOptions } from 'sharp';
import type { Box, FaceAnalyzer, RgbFrame } from '../../models';

export interface SnapshotAuditEntry {
  at: string;
  action: 'debug-snapshot.enabled' | 'debug-snapshot.disabled';
  by: string;
  reason: string;
}

export interface DebugSnapshotOptions {
  /** BlazeFace (createFaceAnalyzer({ models: ['blazeface'] })). */
  faces: Pick<FaceAnalyzer, 'detectFaces'>;
  dir: string;
  /** Receives every switch on/off; the caller persists it (the agent's audit table). */
  audit: (entry: SnapshotAuditEntry) => void;
  /** At most one snapshot per camera per this many ms (default 60 s). */
  minIntervalMs?: number;
  /** Snapshots kept per camera (default 20, oldest deleted). */
  keep?: number;
  clock?: () => Date;
}

/** A rectangle to blur, in frame pixels. */
export interface BlurRegion {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Regions to blur: each face box grown by 30 % (hair, chin), plus the top quarter of each person
 * box (where the head is for a camera at door height or above), clipped to the frame.
 */
export function blurRegions(frame: { width: number; height: number }, faces: Box[], people: Box[] = []): BlurRegion[] {
  const out: BlurRegion[] = [];
  const clip = (x: number, y: number, w: number, h: number) => {
    const x0 = Math.max(0, Math.floor(x));
    const y0 = Math.max(0, Math.floor(y));
    const x1 = Math.min(frame.width, Math.ceil(x + w));
    const y1 = Math.min(frame.height, Math.ceil(y + h));
    if (x1 - x0 >= 1 && y1 - y0 >= 1) out.push({ x: x0, y: y0, width: x1 - x0, height: y1 - y0 });
  };
  for (const f of faces) {
    const gw = f.width * 0.3;
    const gh = f.height * 0.3;
    clip(f.x - gw / 2, f.y - gh / 2, f.width + gw, f.height + gh);
  }
  for (const p of people) clip(p.x, p.y, p.width, p.height * 0.25);
  return out;
}

/** Returns a copy of the frame (RGB) with each region replaced by a strong blur of itself. */
export async function blurFrame(frame: RgbFrame, regions: BlurRegion[]): Promise<RgbFrame> {
  const channels = frame.channels ?? 3;
  const raw = { width: frame.width, height: frame.height, channels } as const;
  const composites: OverlayOptions[] = [];
  for (const r of regions) {
    // Blur radius scales with the region so a large face is as unreadable as a small one.
    const sigma = Math.max(8, Math.min(r.width, r.height) / 4);
    const patch = await sharp(frame.data, { raw })
      .extract({ left: r.x, top: r.y, width: r.width, height: r.height })
      .blur(sigma)
      .raw()
      .toBuffer();
    composites.push({ input: patch, raw: { width: r.width, height: r.height, channels }, left: r.x, top: r.y });
  }
  const data = await sharp(frame.data, { raw }).composite(composites).removeAlpha().raw().toBuffer();
  return { data: new Uint8Array(data), width: frame.width, height: frame.height, channels: 3 };
}

export class DebugSnapshots {
  private enabledState: { by: string; reason: string; at: string } | null = null;
  private readonly last = new Map<string, number>();
  private readonly clock: () => Date;

  constructor(private readonly opts: DebugSnapshotOptions) {
    this.clock = opts.clock ?? (() => new Date());
  }

  get enabled(): boolean {
    return this.enabledState !== null;
  }
  get status(): { enabled: boolean; by: string | null; since: string | null } {
    return { enabled: this.enabled, by: this.enabledState?.by ?? null, since: this.enabledState?.at ?? null };
  }

  /** Switches snapshots on or off; who and why are required and audited. */
  set(enabled: boolean, by: string, reason: string): void {
    if (!by.trim() || !reason.trim()) throw new Error('switching debug snapshots needs who and why');
    if (enabled === this.enabled) return;
    const at = this.clock().toISOString();
    this.opts.audit({
      at,
      action: enabled ? 'debug-snapshot.enabled' : 'debug-snapshot.disabled',
      by: by.trim(),
      reason: reason.trim(),
    });
    this.enabledState = enabled ? { by: by.trim(), reason: reason.trim(), at } : null;
  }

  /**
   * Offers a frame; when snapshots are on and the camera's interval has passed, saves a JPEG with
   * faces blurred and returns its path. Returns null (and saves nothing) otherwise.
   */
  async offer(cameraId: string, frame: RgbFrame, people: Box[] = []): Promise<string | null> {
    if (!this.enabled) return null;
    const now = this.clock().getTime();
    const prev = this.last.get(cameraId);
    if (prev !== undefined && now - prev < (this.opts.minIntervalMs ?? 60_000)) return null;
    this.last.set(cameraId, now);
    const faces = await this.opts.faces.detectFaces(frame);
    const blurred = await blurFrame(
      frame,
      blurRegions(
        frame,
        faces.map((f) => f.box),
        people,
      ),
    );
    const safeId = cameraId.replace(/[^A-Za-z0-9_-]/g, '_');
    const dir = join(this.opts.dir, safeId);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${new Date(now).toISOString().replace(/[:.]/g, '-')}.jpg`);
    const jpeg = await sharp(blurred.data, { raw: { width: blurred.width, height: blurred.height, channels: 3 } })
      .jpeg({ quality: 80 })
      .toBuffer();
    writeFileSync(file, jpeg);
    const keep = this.opts.keep ?? 20;
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.jpg'))
      .sort();
    for (const old of files.slice(0, Math.max(0, files.length - keep))) rmSync(join(dir, old), { force: true });
    return file;
  }
}
