// Auto-exposure in front of the person detector: a dim door (evening, a shaded entrance, a cheap
// sensor) hands the detector dark, low-contrast people that it scores under the tracker's birth
// threshold all the way across. Like a camera's own auto-exposure, a gain lifts a dark frame so
// that its bright end (a high luminance percentile) reaches a normal level; a frame that is
// already bright enough is passed through untouched (the same object, no copy). The gain rises
// over a few frames, so a person walking in does not make the picture flicker, and falls at once
// when the scene brightens (lights on, a door opening), so people are never burnt out to white.
import type { RgbFrame } from '../../models';

export interface AutoExposureOptions {
  /** Luminance percentile (0–1) that is lifted to `target`. Default 0.95. */
  percentile?: number;
  /** Grey level (0–255) the percentile should reach. Default 160. */
  target?: number;
  /** Most the gain may lift a frame. Default 3 (noise grows with it). */
  maxGain?: number;
  /** Share of a higher gain taken per frame (1 = every frame on its own); a lower one is taken at once. Default 0.3. */
  adapt?: number;
  /** Gains below this are not applied (a frame this close to normal is left alone). Default 1.1. */
  minGain?: number;
}

const DEFAULTS: Required<AutoExposureOptions> = { percentile: 0.95, target: 160, maxGain: 3, adapt: 0.3, minGain: 1.1 };

/** A part of the frame in whole pixels (the camera's door region). */
export interface FrameRegion {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Luminance at `percentile` in `region` (default the whole frame), from every 4th pixel of every 2nd row. */
export function lumaPercentile(frame: RgbFrame, percentile: number, region?: FrameRegion): number {
  const ch = frame.channels ?? 3;
  const x0 = Math.max(0, Math.floor(region?.x ?? 0));
  const y0 = Math.max(0, Math.floor(region?.y ?? 0));
  const x1 = Math.min(frame.width, region ? Math.ceil(region.x + region.width) : frame.width);
  const y1 = Math.min(frame.height, region ? Math.ceil(region.y + region.height) : frame.height);
  const hist = new Uint32Array(256);
  let n = 0;
  for (let y = y0; y < y1; y += 2) {
    const row = y * frame.width * ch;
    for (let x = x0; x < x1; x += 4) {
      const i = row + x * ch;
      hist[(frame.data[i]! * 77 + frame.data[i + 1]! * 150 + frame.data[i + 2]! * 29) >> 8]!++;
      n++;
    }
  }
  if (n === 0) return 255;
  const want = Math.min(n, Math.max(1, Math.ceil(n * percentile)));
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += hist[v]!;
    if (seen >= want) return v;
  }
  return 255;
}

/** The gain that lifts this frame's percentile to the target (1 when it is already there). */
export function exposureGain(frame: RgbFrame, o: AutoExposureOptions = {}, region?: FrameRegion): number {
  const { percentile, target, maxGain } = { ...DEFAULTS, ...o };
  const level = lumaPercentile(frame, percentile, region);
  return Math.min(maxGain, Math.max(1, target / Math.max(1, level)));
}

/** A new frame with every channel multiplied by `gain` (clipped at 255); the frame itself when gain is 1. */
export function applyGain(frame: RgbFrame, gain: number): RgbFrame {
  if (gain === 1) return frame;
  const lut = new Uint8Array(256);
  for (let v = 0; v < 256; v++) lut[v] = Math.min(255, Math.round(v * gain));
  const out = new Uint8Array(frame.data.length);
  const src = frame.data;
  for (let i = 0; i < src.length; i++) out[i] = lut[src[i]!]!;
  if (frame.channels === 4) for (let i = 3; i < src.length; i += 4) out[i] = src[i]!;
  return { data: out, width: frame.width, height: frame.height, channels: frame.channels ?? 3 };
}

/**
 * One camera's auto-exposure state (the gain it has settled on so far). `update` runs on every
 * frame the detector will see, in frame order; the caller applies the gain it returns.
 */
export class AutoExposure {
  private readonly o: Required<AutoExposureOptions>;
  private current: number | null = null;

  constructor(o: AutoExposureOptions = {}) {
    this.o = { ...DEFAULTS, ...o };
  }

  /** The gain for this frame (1 = leave it alone), measured in `region` (the door) when given. */
  update(frame: RgbFrame, region?: FrameRegion): number {
    const want = exposureGain(frame, this.o, region);
    this.current =
      this.current === null || want < this.current ? want : this.current + this.o.adapt * (want - this.current);
    return this.current < this.o.minGain ? 1 : this.current;
  }

  /** After a reconnect the scene may differ: settle afresh on the next frame. */
  reset(): void {
    this.current = null;
  }
}
