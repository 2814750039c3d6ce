// Constant-velocity Kalman filter on a box (centre x/y, width, height). Each coordinate is an
// independent position+velocity filter: cheap, and enough for people walking through a door.
import type { Box } from '../../models';

interface Axis {
  x: number;
  v: number;
  p00: number;
  p01: number;
  p11: number;
}

export interface KalmanOptions {
  /** Process noise (how much velocity may change per frame), in pixels. */
  processNoise?: number;
  /** Measurement noise (detector jitter), in pixels. */
  measurementNoise?: number;
}

/** Largest centre movement per frame, as a share of the box height. */
const MAX_STEP = 0.35;
/** Largest size change per frame, as a share of the size. */
const MAX_GROWTH = 0.08;

const clamp = (v: number, limit: number) => Math.max(-limit, Math.min(limit, v));

function axis(x: number, spread: number): Axis {
  return { x, v: 0, p00: spread * spread, p01: 0, p11: (spread * 4) ** 2 };
}

export class KalmanBox {
  private readonly a: [Axis, Axis, Axis, Axis];
  private readonly q: number;
  private readonly r: number;

  constructor(box: Box, opts: KalmanOptions = {}) {
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    const s = Math.max(box.width, box.height);
    this.q = (opts.processNoise ?? 0.05 * s) ** 2;
    this.r = (opts.measurementNoise ?? 0.05 * s) ** 2;
    this.a = [axis(cx, 0.1 * s), axis(cy, 0.1 * s), axis(box.width, 0.1 * s), axis(box.height, 0.1 * s)];
  }

  predict(): Box {
    // Sizes change slowly (walking towards or away from the camera): their velocity decays, so a
    // coasting track's box does not grow or shrink without bound.
    this.a[2].v *= 0.7;
    this.a[3].v *= 0.7;
    // A person does not move further than MAX_STEP of their height per frame (2.5 m/s at 5 fps is
    // 0.3 h), nor change size by more than MAX_GROWTH a frame: one wrong match (a neighbour's
    // box, half a person) must not send a coasting track across the picture or shrink it to a dot.
    const h = Math.max(1, this.a[3].x);
    this.a[0].v = clamp(this.a[0].v, MAX_STEP * h);
    this.a[1].v = clamp(this.a[1].v, MAX_STEP * h);
    this.a[2].v = clamp(this.a[2].v, MAX_GROWTH * this.a[2].x);
    this.a[3].v = clamp(this.a[3].v, MAX_GROWTH * h);
    for (const k of this.a) {
      k.x += k.v;
      // P = F P F' + Q with F = [[1,1],[0,1]]
      const p00 = k.p00 + 2 * k.p01 + k.p11 + this.q / 4;
      const p01 = k.p01 + k.p11 + this.q / 2;
      const p11 = k.p11 + this.q;
      k.p00 = p00;
      k.p01 = p01;
      k.p11 = p11;
    }
    // Sizes never shrink below a pixel even if the velocity says so.
    this.a[2].x = Math.max(1, this.a[2].x);
    this.a[3].x = Math.max(1, this.a[3].x);
    return this.box();
  }

  update(box: Box): Box {
    const z = [box.x + box.width / 2, box.y + box.height / 2, box.width, box.height];
    this.a.forEach((k, i) => {
      const y = z[i]! - k.x;
      const s = k.p00 + this.r;
      const g0 = k.p00 / s;
      const g1 = k.p01 / s;
      k.x += g0 * y;
      k.v += g1 * y;
      const p00 = (1 - g0) * k.p00;
      const p01 = (1 - g0) * k.p01;
      const p11 = k.p11 - g1 * k.p01;
      k.p00 = p00;
      k.p01 = p01;
      k.p11 = p11;
    });
    return this.box();
  }

  box(): Box {
    const [cx, cy, w, h] = this.a;
    return { x: cx.x - w.x / 2, y: cy.x - h.x / 2, width: w.x, height: h.x };
  }

  velocity(): { vx: number; vy: number } {
    return { vx: this.a[0].v, vy: this.a[1].v };
  }
}
