// Cheap motion gate: a downscaled grey copy of each frame compared with the previous one
// (`hasMotion`) or with the last frame the detector saw (`changedSinceReference` + `accept`, what
// the pipeline uses: slow movement adds up instead of hiding under the per-frame threshold). When
// nothing moved, the detector (the expensive part) is skipped.
import type { RgbFrame } from '../../models';

export interface MotionGateOptions {
  /** Width of the grey thumbnail. Default 80. */
  thumbWidth?: number;
  /** Grey level change that counts a thumbnail pixel as changed. Default 18. */
  pixelThreshold?: number;
  /** Share of changed pixels that counts as motion. Default 0.002 (0.2 %). */
  areaThreshold?: number;
}

export class MotionGate {
  private prev: Uint8Array | null = null;
  private readonly tw: number;
  private readonly pt: number;
  private readonly at: number;

  constructor(o: MotionGateOptions = {}) {
    this.tw = o.thumbWidth ?? 80;
    this.pt = o.pixelThreshold ?? 18;
    this.at = o.areaThreshold ?? 0.002;
  }

  /** Grey thumbnail of the frame (nearest-neighbour sampling: a few thousand reads). */
  thumbnail(f: RgbFrame): { grey: Uint8Array; width: number; height: number } {
    const ch = f.channels ?? 3;
    const tw = Math.min(this.tw, f.width);
    const th = Math.max(1, Math.round((f.height * tw) / f.width));
    const grey = new Uint8Array(tw * th);
    for (let y = 0; y < th; y++) {
      const sy = Math.min(f.height - 1, Math.floor(((y + 0.5) * f.height) / th));
      for (let x = 0; x < tw; x++) {
        const sx = Math.min(f.width - 1, Math.floor(((x + 0.5) * f.width) / tw));
        const i = (sy * f.width + sx) * ch;
        grey[y * tw + x] = (f.data[i]! * 77 + f.data[i + 1]! * 150 + f.data[i + 2]! * 29) >> 8;
      }
    }
    return { grey, width: tw, height: th };
  }

  /** Share of the thumbnail that changed since the previous frame (1 for the first frame). */
  changed(f: RgbFrame): number {
    const { grey } = this.thumbnail(f);
    const prev = this.prev;
    this.prev = grey;
    if (!prev || prev.length !== grey.length) return 1;
    let n = 0;
    for (let i = 0; i < grey.length; i++) if (Math.abs(grey[i]! - prev[i]!) > this.pt) n++;
    return n / grey.length;
  }

  hasMotion(f: RgbFrame): boolean {
    return this.changed(f) >= this.at;
  }

  private ref: Uint8Array | null = null;
  private candidate: Uint8Array | null = null;

  /**
   * Did this frame change (by the area threshold) since the reference frame, the last one passed
   * to `accept()`? The first frame, and a frame of another size, always did.
   */
  changedSinceReference(f: RgbFrame): boolean {
    const { grey } = this.thumbnail(f);
    this.candidate = grey;
    const ref = this.ref;
    if (!ref || ref.length !== grey.length) return true;
    let n = 0;
    for (let i = 0; i < grey.length; i++) if (Math.abs(grey[i]! - ref[i]!) > this.pt) n++;
    return n / grey.length >= this.at;
  }

  /** The frame last given to `changedSinceReference` becomes the reference (the detector ran on it). */
  accept(): void {
    if (this.candidate) this.ref = this.candidate;
  }

  /** Forget the reference (a new camera session: the next frame is compared with nothing). */
  reset(): void {
    this.ref = null;
    this.prev = null;
  }
}
