// Cheap motion gate: a downscaled grey copy of each frame compared with the previous one. When
// nothing moves and nobody is being tracked, the detector (the expensive part) is skipped.
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
}
