// Pure geometry for counting: the counting line, anchor points on a box, polygons.
import { z } from 'zod';
import type { Box } from '../../models';

export interface Point {
  x: number;
  y: number;
}
export interface Segment {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}
export type Anchor = 'bottom' | 'center' | 'head';

export const segmentSchema = z
  .object({ x1: z.number(), y1: z.number(), x2: z.number(), y2: z.number() })
  .refine((s) => s.x1 !== s.x2 || s.y1 !== s.y2, 'line end points must differ');

/** Parses `x1,y1,x2,y2` (frame pixels). Throws a technician-readable error. */
export function parseLine(text: string): Segment {
  const parts = text.split(',').map((s) => s.trim());
  const nums = parts.map(Number);
  if (parts.length !== 4 || nums.some((n) => !Number.isFinite(n))) {
    throw new Error(`--line must be four numbers x1,y1,x2,y2 in frame pixels (got "${text}")`);
  }
  const [x1, y1, x2, y2] = nums as [number, number, number, number];
  if (x1 === x2 && y1 === y2) throw new Error(`--line end points must differ (got "${text}")`);
  return { x1, y1, x2, y2 };
}

export function anchorPoint(box: Box, anchor: Anchor): Point {
  const x = box.x + box.width / 2;
  if (anchor === 'bottom') return { x, y: box.y + box.height };
  if (anchor === 'head') return { x, y: box.y };
  return { x, y: box.y + box.height / 2 };
}

/**
 * Signed distance (pixels) of p from the line through the segment. Positive = right-hand side of
 * (x1,y1)→(x2,y2) as seen on the image with y pointing down, which is the "in" side.
 */
export function signedDistance(s: Segment, p: Point): number {
  const dx = s.x2 - s.x1;
  const dy = s.y2 - s.y1;
  return (dx * (p.y - s.y1) - dy * (p.x - s.x1)) / Math.hypot(dx, dy);
}

/** Position along the segment of the point where a→b meets the line: 0 at (x1,y1), 1 at (x2,y2). */
export function crossingParameter(s: Segment, a: Point, b: Point): number {
  const da = signedDistance(s, a);
  const db = signedDistance(s, b);
  const f = da === db ? 0.5 : da / (da - db);
  const px = a.x + (b.x - a.x) * f;
  const py = a.y + (b.y - a.y) * f;
  const dx = s.x2 - s.x1;
  const dy = s.y2 - s.y1;
  return ((px - s.x1) * dx + (py - s.y1) * dy) / (dx * dx + dy * dy);
}

export function pointInPolygon(p: Point, poly: readonly Point[]): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const a = poly[i]!;
    const b = poly[j]!;
    if (a.y > p.y !== b.y > p.y && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}
