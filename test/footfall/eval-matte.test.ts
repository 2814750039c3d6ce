// The evaluation's people are cut out by a segmentation model, not by a body-shaped stencil
// (issue 18: "cut out properly, not rectangles"). What that must mean on the pixels: the photo's
// background, in the crop's corners and between the limbs, is transparent; the torso is opaque;
// hair and arms reaching out of a standing-person shape stay; a neighbour who runs into the
// crop from its side is dropped; and a mask that is broken for a crop is refused, so the
// stencil stands in. The first two tests run the model (tfjs CPU, a few seconds).
import { describe, expect, it } from 'vitest';
import { loadEvalPeople, personFromMask, priorMatte, type MattedPerson } from '../../edge-agent/testing';

/** Mean alpha over a box given in fractions of the crop. */
function meanAlpha(
  p: Pick<MattedPerson, 'width' | 'height'>,
  a: Float32Array,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
) {
  let s = 0;
  let n = 0;
  for (let y = Math.round(y0 * p.height); y < Math.round(y1 * p.height); y++)
    for (let x = Math.round(x0 * p.width); x < Math.round(x1 * p.width); x++) {
      s += a[y * p.width + x]!;
      n++;
    }
  return s / n;
}

describe('evaluation people matte', () => {
  it('a photo person: corners and background transparent, torso opaque, made by the segmentation', async () => {
    const people = await loadEvalPeople(260, ['s1a', 's4a']);
    expect(people.map((p) => p.id)).toEqual(['s1a', 's4a']);
    for (const p of people) {
      expect(p.matte, p.id).toBe('selfie');
      for (const [x0, y0] of [
        [0, 0],
        [0.94, 0],
        [0, 0.94],
        [0.94, 0.94],
      ] as const)
        expect(meanAlpha(p, p.alpha, x0, y0, x0 + 0.06, y0 + 0.06), `${p.id} corner ${x0},${y0}`).toBeLessThan(0.05);
      expect(meanAlpha(p, p.alpha, 0.4, 0.35, 0.6, 0.55), `${p.id} torso`).toBeGreaterThan(0.95);
    }
    // It follows the person, not the stencil: where the stencil is sure (≥ 0.95), s1a's leaning
    // pose leaves photo background that the segmentation clears; where the stencil is empty
    // (≤ 0.05), her hair and arm stay.
    const s1a = people[0]!;
    const stencil = priorMatte(s1a.rgb, s1a.width, s1a.height);
    let sure = 0;
    let cleared = 0;
    let empty = 0;
    let kept = 0;
    for (let i = 0; i < stencil.length; i++) {
      if (stencil[i]! >= 0.95) {
        sure++;
        if (s1a.alpha[i]! < 0.05) cleared++;
      }
      if (stencil[i]! <= 0.05) {
        empty++;
        if (s1a.alpha[i]! > 0.5) kept++;
      }
    }
    expect(cleared / sure).toBeGreaterThan(0.1);
    expect(kept / empty).toBeGreaterThan(0.1);
    // s4a's friend stands against her right side and runs out of the crop: the crop's right
    // edge, over the body's height, is not kept
    const s4a = people[1]!;
    expect(meanAlpha(s4a, s4a.alpha, 0.95, 0.3, 1, 0.9)).toBeLessThan(0.1);
  }, 180_000);

  it('splits a mask: a raised arm stays, a neighbour from the side and a separate blob go', () => {
    const w = 100;
    const h = 250;
    const mask = new Float32Array(w * h);
    const fill = (x0: number, y0: number, x1: number, y1: number) => {
      for (let y = y0; y < y1; y++) mask.fill(1, y * w + x0, y * w + x1);
    };
    const at = (a: Float32Array, x: number, y: number) => a[y * w + x]!;
    fill(35, 12, 65, 50); // head
    fill(30, 50, 71, 240); // body
    fill(10, 15, 31, 60); // an arm raised up and out, above the shoulders' line
    fill(70, 100, 100, 240); // a neighbour against the body, out through the right edge
    fill(84, 14, 96, 26); // a separate blob (a poster), not joined to the body
    const a = personFromMask(mask, w, h);
    expect(a).not.toBeNull();
    expect(at(a!, 50, 150)).toBeGreaterThan(0.95);
    expect(at(a!, 50, 30)).toBeGreaterThan(0.95);
    expect(at(a!, 18, 30)).toBeGreaterThan(0.9);
    expect(at(a!, 96, 150)).toBeLessThan(0.05);
    expect(at(a!, 90, 20)).toBeLessThan(0.05);
    // the stencil alone would have lost the arm
    const grey = new Uint8Array(w * h * 3).fill(128);
    expect(at(priorMatte(grey, w, h), 18, 30)).toBeLessThan(0.05);
  });

  it('refuses a broken mask: nearly empty, or no head where a standing person has one', () => {
    const w = 100;
    const h = 250;
    const empty = new Float32Array(w * h);
    for (let y = 120; y < 140; y++) empty.fill(1, y * w + 45, y * w + 55);
    expect(personFromMask(empty, w, h)).toBeNull();
    const headless = new Float32Array(w * h);
    for (let y = 70; y < 240; y++) headless.fill(1, y * w + 30, y * w + 71);
    expect(personFromMask(headless, w, h)).toBeNull();
  });
});
