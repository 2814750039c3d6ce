import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LineCounter } from './line-counter';
import { parseLine, signedDistance } from './geometry';
import type { Track } from '../tracking';

/** A confirmed, freshly detected track whose feet (bottom-centre) are at x, y. */
const track = (id: number, x: number, y: number, width = 60, height = 160): Track => ({
  id,
  state: 'confirmed',
  box: { x: x - width / 2, y: y - height, width, height },
  score: 0.5,
  hits: 10,
  missed: 0,
  age: 10,
});

/** The same track lost `missed` frames ago, its box where the tracker predicts it. */
const lostTrack = (id: number, x: number, y: number, missed: number): Track => ({
  ...track(id, x, y),
  state: 'lost',
  missed,
});

// Horizontal door line drawn left to right at y=200: "in" is moving DOWN the image.
const line = { x1: 100, y1: 200, x2: 500, y2: 200 };

function walk(counter: LineCounter, id: number, pts: Array<[number, number]>, t0 = 0) {
  return pts.flatMap(([x, y], i) => {
    const e = counter.observe(id, { x, y }, t0 + i * 100);
    return e ? [e] : [];
  });
}
const path = (x: number, ys: number[]) => ys.map((y) => [x, y] as [number, number]);

describe('LineCounter', () => {
  it('right-hand side of the vector is "in" (down for a left-to-right line)', () => {
    expect(signedDistance(line, { x: 300, y: 250 })).toBeGreaterThan(0);
    const c = new LineCounter({ line });
    const ev = walk(c, 1, path(300, [150, 170, 190, 210, 230, 250]));
    expect(ev.map((e) => e.direction)).toEqual(['in']);
    expect(c.totals()).toEqual({ in: 1, out: 0 });
    const reversed = new LineCounter({ line: { x1: 500, y1: 200, x2: 100, y2: 200 } });
    walk(reversed, 1, path(300, [150, 170, 190, 210, 230, 250]));
    expect(reversed.totals()).toEqual({ in: 0, out: 1 });
  });

  it('counts exits upwards', () => {
    const c = new LineCounter({ line });
    walk(c, 1, path(300, [260, 240, 220, 200, 180, 160, 140]));
    expect(c.totals()).toEqual({ in: 0, out: 1 });
  });

  it("uTurn 'net': a U-turn across the line cancels out", () => {
    const c = new LineCounter({ line, uTurn: 'net' });
    const ev = walk(c, 1, path(300, [150, 170, 190, 215, 230, 240, 230, 215, 190, 170, 150, 140]));
    expect(ev.map((e) => [e.direction, e.cancels])).toEqual([
      ['in', false],
      ['out', true],
    ]);
    expect(ev[1]!.cancelsAt).toBe(ev[0]!.at);
    expect(c.totals()).toEqual({ in: 0, out: 0 });
  });

  it('by default a U-turn over the line is counted as an in and an out (both legs)', () => {
    const c = new LineCounter({ line });
    const ev = walk(c, 1, path(300, [150, 170, 190, 215, 230, 240, 230, 215, 190, 170, 150, 140]));
    expect(ev.map((e) => [e.direction, e.cancels])).toEqual([
      ['in', false],
      ['out', false],
    ]);
    expect(c.totals()).toEqual({ in: 1, out: 1 });
    c.finish(1);
    expect(c.totals()).toEqual({ in: 1, out: 1 });
  });

  it('a track that ends one frame after stepping over the line (walked out of view) counts', () => {
    const c = new LineCounter({ line, confirmFrames: 2 });
    walk(c, 1, path(300, [150, 170, 190, 230]));
    expect(c.totals()).toEqual({ in: 0, out: 0 });
    const ev = c.finish(1, 999);
    expect(ev).toMatchObject({ trackId: 1, direction: 'in', at: 999 });
    expect(c.totals()).toEqual({ in: 1, out: 0 });
    // ...but not when that last frame was beside the segment
    const d = new LineCounter({ line });
    walk(d, 1, path(560, [150, 170, 190, 230]));
    expect(d.finish(1, 999)).toBeNull();
    expect(d.totals()).toEqual({ in: 0, out: 0 });
  });

  it('the dead band grows with the box height (perspective): a tall person swaying 10 px does not count', () => {
    const c = new LineCounter({ line, deadBand: 4, deadBandRatio: 0.05 });
    const sway = [190, 212, 213, 190, 212, 213, 190];
    sway.forEach((y, i) => c.observe(1, { x: 300, y }, i * 100, 250)); // band 12.5 px
    expect(c.totals()).toEqual({ in: 0, out: 0 });
    const small = new LineCounter({ line, deadBand: 4, deadBandRatio: 0.05 });
    sway.forEach((y, i) => small.observe(1, { x: 300, y }, i * 100, 60)); // band 4 px
    expect(small.totals().in).toBeGreaterThan(0);
  });

  it('by default a shopper who stops with the box bottom a few pixels past the line and turns back counts nothing', () => {
    // MoveNet's box ends 5-9 px below the feet of a 165 px shopper standing at the line: with the
    // old default (5 % of the height, 8.25 px) this stop counted an in and an out.
    const c = new LineCounter({ line });
    const ys = [150, 170, 190, 205, 209, 208, 209, 207, 209, 208, 195, 175, 150];
    ys.forEach((y, i) => c.observe(1, { x: 300, y }, i * 100, 165));
    expect(c.totals()).toEqual({ in: 0, out: 0 });
    // someone who walks on past it does count
    const on = new LineCounter({ line });
    [150, 170, 190, 205, 209, 220, 235, 250].forEach((y, i) => on.observe(1, { x: 300, y }, i * 100, 165));
    expect(on.totals()).toEqual({ in: 1, out: 0 });
  });

  it('jitter inside the dead band counts nothing', () => {
    const c = new LineCounter({ line, deadBand: 10 });
    walk(c, 1, path(300, [170, 195, 205, 193, 207, 199, 204, 196, 170]));
    expect(c.totals()).toEqual({ in: 0, out: 0 });
  });

  it('a single frame beyond the band does not flip the side (N-frame confirmation)', () => {
    const c = new LineCounter({ line, deadBand: 5, confirmFrames: 3 });
    walk(c, 1, path(300, [170, 180, 215, 180, 216, 217, 180, 170]));
    expect(c.totals()).toEqual({ in: 0, out: 0 });
  });

  it('crossing the extension of the line outside the segment does not count', () => {
    const c = new LineCounter({ line });
    walk(c, 1, path(560, [150, 170, 190, 210, 230, 250]));
    walk(c, 2, path(40, [250, 230, 210, 190, 170, 150]));
    expect(c.totals()).toEqual({ in: 0, out: 0 });
  });

  it('a diagonal line: in is the right-hand side', () => {
    const diag = { x1: 0, y1: 0, x2: 400, y2: 400 };
    const c = new LineCounter({ line: diag });
    // from upper right (left-hand side of the vector) to lower left (right-hand side)
    walk(c, 1, [
      [250, 150],
      [230, 170],
      [210, 190],
      [190, 210],
      [170, 230],
      [150, 250],
    ]);
    expect(c.totals()).toEqual({ in: 1, out: 0 });
  });

  it('a crossing made while the track was tentative counts once it is confirmed, never if it is not', () => {
    const c = new LineCounter({ line });
    const ys = [150, 170, 190, 210, 230, 250];
    ys.forEach((y, i) => c.observeAll(1, { x: 300, y }, i, false));
    expect(c.totals()).toEqual({ in: 0, out: 0 });
    const ev = c.observeAll(1, { x: 300, y: 260 }, 9, true);
    expect(ev).toEqual([{ trackId: 1, direction: 'in', at: 4, cancels: false }]);
    expect(c.totals()).toEqual({ in: 1, out: 0 });
    ys.forEach((y, i) => c.observeAll(2, { x: 300, y }, i, false));
    c.finish(2);
    expect(c.totals()).toEqual({ in: 1, out: 0 });
  });

  it('two shoppers side by side in one box: the second, first seen just past the line, walks on and counts in too', () => {
    const c = new LineCounter({ line });
    // frames 0-5: one merged box (the pair) walks down over the line
    for (let i = 0; i < 6; i++) c.update([track(1, 300, 170 + i * 12, 100)], i * 100);
    expect(c.totals()).toEqual({ in: 1, out: 0 });
    // frame 6 on: the pair separates 42 px past the line; the second gets its own track
    for (let i = 6; i < 12; i++) c.update([track(1, 290, 170 + i * 12), track(2, 320, 170 + i * 12)], i * 100);
    expect(c.totals()).toEqual({ in: 2, out: 0 });
    // with the rule off, the second shopper is missed
    const off = new LineCounter({ line, splitWindowMs: 0 });
    for (let i = 0; i < 6; i++) off.update([track(1, 300, 170 + i * 12, 100)], i * 100);
    for (let i = 6; i < 12; i++) off.update([track(1, 290, 170 + i * 12), track(2, 320, 170 + i * 12)], i * 100);
    expect(off.totals()).toEqual({ in: 1, out: 0 });
  });

  it('the back row of a group, first seen over 1.5 heights past the line, walks on and counts in too', () => {
    // one merged box (h 160) walks over the line and on; the walker behind it gets a track of its
    // own only at y 450 (250 px, 1.6 heights past the line): 0.6 heights was the limit until 2026-12-06
    const c = new LineCounter({ line });
    for (let i = 0; i < 14; i++) c.update([track(1, 300, 170 + i * 20, 100)], i * 100);
    expect(c.totals()).toEqual({ in: 1, out: 0 });
    for (let i = 14; i < 20; i++) c.update([track(1, 290, 170 + i * 20), track(2, 320, 170 + i * 20)], i * 100);
    expect(c.totals()).toEqual({ in: 2, out: 0 });
  });

  it('someone leaving who appears beside a shopper who just came in does not inherit the entry', () => {
    const c = new LineCounter({ line });
    for (let i = 0; i < 6; i++) c.update([track(1, 300, 170 + i * 12)], i * 100);
    // track 2 is born just below the line beside track 1, but walks up, towards the line and over it
    for (let i = 6; i < 14; i++) c.update([track(1, 300, 170 + i * 12), track(2, 340, 225 - (i - 6) * 12)], i * 100);
    expect(c.totals()).toEqual({ in: 1, out: 1 });
  });

  it("a box inside a shopper's own box (their head and shoulders detected twice) inherits nothing", () => {
    const c = new LineCounter({ line });
    for (let i = 0; i < 6; i++) c.update([track(1, 300, 170 + i * 12)], i * 100);
    for (let i = 6; i < 12; i++) c.update([track(1, 300, 170 + i * 12), track(2, 300, 150 + i * 12, 50, 130)], i * 100);
    expect(c.totals()).toEqual({ in: 1, out: 0 });
  });

  describe('one shopper seen as two boxes, each with its own track, crossing together', () => {
    it("a second box on the shopper's legs that crosses a frame after them does not count again", () => {
      const c = new LineCounter({ line });
      for (let i = 0; i < 10; i++)
        c.update([track(1, 300, 150 + i * 12), track(2, 304, 140 + i * 12, 40, 80)], i * 100);
      expect(c.totals()).toEqual({ in: 1, out: 0 });
    });

    it('a wide box (the shopper plus the edge of someone behind) crossing after them counts once', () => {
      const c = new LineCounter({ line });
      for (let i = 0; i < 10; i++)
        c.update([track(1, 300, 160 + i * 12), track(2, 315, 150 + i * 12, 110, 170)], i * 100);
      expect(c.totals()).toEqual({ in: 1, out: 0 });
    });

    it('two shoppers side by side, their boxes half over each other, both count', () => {
      const c = new LineCounter({ line });
      for (let i = 0; i < 10; i++) c.update([track(1, 280, 150 + i * 12), track(2, 310, 146 + i * 12)], i * 100);
      expect(c.totals()).toEqual({ in: 2, out: 0 });
    });

    describe('a slice of a shopper (a narrow box: one side, or an arm and a leg) with its own track', () => {
      // The shopper walks to the line, stands on it (inside the dead band) and goes back; a slice
      // of them, a leg's length ahead, steps over the line and back.
      const ys = [150, 165, 180, 192, 196, 196, 196, 196, 192, 180, 165, 150, 135, 120];
      it('does not count when it steps over and back while the shopper stands on the line', () => {
        const c = new LineCounter({ line });
        ys.forEach((y, i) => c.update([track(1, 300, y, 90, 200), track(2, 285, y + 22, 26, 190)], i * 100));
        expect(c.totals()).toEqual({ in: 0, out: 0 });
      });

      it('counts like anyone when no wider person holds it (a slim shopper far away)', () => {
        const c = new LineCounter({ line });
        ys.forEach((y, i) => c.update([track(2, 285, y + 22, 26, 190)], i * 100));
        expect(c.totals()).toEqual({ in: 1, out: 1 });
      });

      it('counts when the wider box beside it holds less than 70 % of it (a neighbour)', () => {
        const c = new LineCounter({ line });
        ys.forEach((y, i) => c.update([track(1, 300, y, 90, 200), track(2, 348, y + 22, 26, 190)], i * 100));
        expect(c.totals()).toEqual({ in: 1, out: 1 });
      });
    });

    it('a box inside the shopper crossing the OTHER way is not a duplicate', () => {
      const c = new LineCounter({ line });
      for (let i = 0; i < 10; i++)
        c.update([track(1, 300, 150 + i * 12), track(2, 304, 260 - i * 12, 40, 80)], i * 100);
      expect(c.totals()).toEqual({ in: 1, out: 1 });
    });
  });

  describe('hand-over: a walker whose track is lost just before the line and found again just past it', () => {
    /** Track 1 walks down to just above the line (feet at `lastY`), then is lost; track 2 starts at x2, 230. */
    function passing(
      c: LineCounter,
      opts: { x?: number; x2?: number; lastY?: number; up?: boolean; dy2?: number; ys?: number[] },
    ) {
      const x = opts.x ?? 300;
      const ys = opts.ys ?? (opts.up ? [190, 180, 170, 160] : [130, 150, 170, opts.lastY ?? 190]);
      ys.forEach((y, i) => c.update([track(1, x, y)], i * 100));
      let t = ys.length * 100;
      // two frames with nobody detected (the shopper is hidden behind someone walking out)
      for (let k = 1; k <= 2; k++, t += 100) c.update([lostTrack(1, x, 190 + k * 20, k)], t);
      // a new track is born just past the line and walks on (dy2 > 0: away from it, down)
      const dy2 = opts.dy2 ?? 12;
      for (let i = 0; i < 6; i++, t += 100)
        c.update([lostTrack(1, x, 230 + i * 20, 3 + i), { ...track(2, opts.x2 ?? x, 230 + i * dy2) }], t);
      return t;
    }

    it('a shopper hidden for a moment by someone leaving, picked up again past the line, counts in once', () => {
      const c = new LineCounter({ line });
      const t = passing(c, {});
      expect(c.totals()).toEqual({ in: 1, out: 0 });
      // the old track ends later: nothing more
      c.update([], t, [1]);
      expect(c.totals()).toEqual({ in: 1, out: 0 });
      // with the rule off the entry is missed (what happened before)
      const off = new LineCounter({ line, splitWindowMs: 0 });
      passing(off, {});
      expect(off.totals()).toEqual({ in: 0, out: 0 });
    });

    it('the old track found again and walking over the line itself does not count the entry twice', () => {
      const c = new LineCounter({ line });
      let t = passing(c, {});
      for (let i = 0; i < 4; i++, t += 100) c.update([track(1, 300, 240 + i * 12), track(2, 300, 320 + i * 12)], t);
      expect(c.totals()).toEqual({ in: 1, out: 0 });
    });

    it('the old track ended before the new one was born: still one entry', () => {
      const c = new LineCounter({ line });
      [130, 150, 170, 190].forEach((y, i) => c.update([track(1, 300, y)], i * 100));
      c.update([], 400, [1]);
      for (let i = 0; i < 6; i++) c.update([track(2, 300, 230 + i * 12)], 600 + i * 100);
      expect(c.totals()).toEqual({ in: 1, out: 0 });
    });

    it('someone born past the line walking TOWARDS it (the person leaving) takes nothing over', () => {
      const c = new LineCounter({ line });
      passing(c, { dy2: -6 });
      expect(c.totals()).toEqual({ in: 0, out: 0 });
    });

    it('counts when the last box before the loss slipped back from the line (its approach is judged on the last four)', () => {
      // feet at 190, then one box cut short by the shopper walking out (feet anchor back at 172)
      const c = new LineCounter({ line });
      passing(c, { ys: [130, 150, 170, 190, 172] });
      expect(c.totals()).toEqual({ in: 1, out: 0 });
    });

    it('a track lost while walking AWAY from the line hands nothing over', () => {
      const c = new LineCounter({ line });
      passing(c, { up: true });
      expect(c.totals()).toEqual({ in: 0, out: 0 });
    });

    it('someone far along the line from where the lost shopper was is not them', () => {
      const c = new LineCounter({ line });
      passing(c, { x2: 480 });
      expect(c.totals()).toEqual({ in: 0, out: 0 });
    });

    it('a walker lost beside the door (beyond the end of the line) is not counted by the hand-over', () => {
      const c = new LineCounter({ line });
      passing(c, { x: 560 });
      expect(c.totals()).toEqual({ in: 0, out: 0 });
    });

    it('property: a shopper who stays on one side, lost and found again under new numbers anywhere, never counts', () => {
      fc.assert(
        fc.property(
          fc.boolean(),
          fc.array(
            fc.record({
              x: fc.integer({ min: 60, max: 540 }),
              dy: fc.integer({ min: 9, max: 150 }),
              gap: fc.integer({ min: 0, max: 4 }),
              newId: fc.boolean(),
            }),
            { minLength: 2, maxLength: 30 },
          ),
          (above, steps) => {
            const c = new LineCounter({ line });
            let id = 1;
            let t = 0;
            let last: Track | null = null;
            for (const s of steps) {
              for (let k = 1; k <= s.gap && last; k++, t += 100) c.update([{ ...last, state: 'lost', missed: k }], t);
              if (s.newId && last) {
                c.update([], t, [id]);
                id++;
              }
              last = track(id, s.x, above ? 200 - s.dy : 200 + s.dy);
              c.update([last], t);
              t += 100;
            }
            expect(c.totals()).toEqual({ in: 0, out: 0 });
          },
        ),
        { numRuns: 300 },
      );
    });

    it('property: a shopper who walks in once, lost and found again under new numbers, counts at most one entry', () => {
      fc.assert(
        fc.property(
          fc.array(
            fc.record({
              dy: fc.integer({ min: 4, max: 30 }),
              gap: fc.integer({ min: 0, max: 4 }),
              newId: fc.boolean(),
            }),
            { minLength: 2, maxLength: 40 },
          ),
          fc.integer({ min: 150, max: 450 }),
          (steps, x) => {
            const c = new LineCounter({ line });
            let id = 1;
            let t = 0;
            let y = 120;
            let last: Track | null = null;
            for (const s of steps) {
              for (let k = 1; k <= s.gap && last; k++, t += 100) c.update([{ ...last, state: 'lost', missed: k }], t);
              if (s.newId && last) {
                c.update([], t, [id]);
                id++;
              }
              y += s.dy;
              last = track(id, x, y);
              c.update([last], t);
              t += 100;
            }
            const got = c.totals();
            expect(got.out).toBe(0);
            expect(got.in).toBeLessThanOrEqual(1);
          },
        ),
        { numRuns: 300 },
      );
    });

    it('a shopper already counted in under a second number is not counted again when a third picks them up', () => {
      const c = new LineCounter({ line });
      // track 1 walks towards the line and ends; track 2 steps over and ends (counted at its end);
      // track 3 starts just past the line and walks on: track 1 must not hand over to it
      [141, 159, 168].forEach((y, i) => c.update([track(1, 150, y)], i * 100));
      c.update([], 300, [1]);
      [179, 215].forEach((y, i) => c.update([track(2, 150, y)], 300 + i * 100));
      c.update([], 500, [2]);
      [213, 217, 221, 225].forEach((y, i) => c.update([track(3, 150, y)], 500 + i * 100));
      expect(c.totals()).toEqual({ in: 1, out: 0 });
    });

    it('a track lost too long ago (over the split window) hands nothing over', () => {
      const c = new LineCounter({ line, splitWindowMs: 150 });
      passing(c, {});
      expect(c.totals()).toEqual({ in: 0, out: 0 });
    });
  });

  describe('coasting over the line: a walker hidden while crossing, never found again', () => {
    /** Track 1 is seen at feet `ys` (heights `hs`), then coasts on through `coast` and ends. */
    function hidden(
      c: LineCounter,
      opts: { ys?: number[]; hs?: number[]; coast?: number[]; x?: number; found?: number },
    ) {
      const x = opts.x ?? 300;
      const ys = opts.ys ?? [80, 110, 140, 170];
      ys.forEach((y, i) => c.update([track(1, x, y, 60, opts.hs?.[i] ?? 160)], i * 100));
      let t = ys.length * 100;
      (opts.coast ?? [195, 215, 235]).forEach((y, k) => c.update([lostTrack(1, x, y, k + 1)], (t += 100)));
      if (opts.found !== undefined) c.update([track(1, x, opts.found)], (t += 100));
      c.update([], (t += 100), [1]);
    }

    it('counts the walker in once when its track ends beyond the line', () => {
      const c = new LineCounter({ line });
      hidden(c, {});
      expect(c.totals()).toEqual({ in: 1, out: 0 });
    });

    it('does not count a walker found again on the side it came from', () => {
      const c = new LineCounter({ line });
      hidden(c, { found: 175 });
      expect(c.totals()).toEqual({ in: 0, out: 0 });
    });

    it('does not count a track lost far from the line, or one that was not walking towards it', () => {
      const far = new LineCounter({ line }); // last seen 1.25 heights before the line
      hidden(far, { ys: [-60, -40, -20, 0], coast: [120, 205, 215] });
      expect(far.totals()).toEqual({ in: 0, out: 0 });
      const standing = new LineCounter({ line }); // standing at 170, then lost
      hidden(standing, { ys: [170, 168, 171, 170] });
      expect(standing.totals()).toEqual({ in: 0, out: 0 });
    });

    it('does not count a box that jumped between people (its height not steady)', () => {
      const c = new LineCounter({ line });
      hidden(c, { hs: [100, 130, 160, 200] });
      expect(c.totals()).toEqual({ in: 0, out: 0 });
    });

    it('does not count a track that coasted past the end of the door line', () => {
      const c = new LineCounter({ line });
      hidden(c, { x: 560 });
      expect(c.totals()).toEqual({ in: 0, out: 0 });
    });

    it('does not count a track whose coasting box stopped inside the dead band', () => {
      const c = new LineCounter({ line });
      hidden(c, { coast: [185, 195, 204] });
      expect(c.totals()).toEqual({ in: 0, out: 0 });
    });
  });

  it('totals survive the track ending', () => {
    const c = new LineCounter({ line });
    walk(c, 7, path(300, [150, 170, 190, 210, 230, 250]));
    c.finish(7);
    expect(c.totals()).toEqual({ in: 1, out: 0 });
  });

  it('parseLine validates the CLI argument', () => {
    expect(parseLine('1,2,3,4')).toEqual({ x1: 1, y1: 2, x2: 3, y2: 4 });
    expect(() => parseLine('1,2,3')).toThrow(/four numbers/);
    expect(() => parseLine('1,2,a,4')).toThrow(/four numbers/);
    expect(() => parseLine('5,5,5,5')).toThrow(/differ/);
  });

  it('property: random jitter around the line never changes the net count from the true net crossing', () => {
    const deadBand = 8;
    const confirmFrames = 2;
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.boolean(),
        fc.array(fc.double({ min: -40, max: 40, noNaN: true }), { minLength: 0, maxLength: 40 }),
        fc.integer({ min: 110, max: 490 }),
        fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 0, maxLength: 40 }),
        (startAbove, endAbove, jitter, x, xJitter) => {
          const c = new LineCounter({ line, deadBand, confirmFrames, uTurn: 'net' });
          const both = new LineCounter({ line, deadBand, confirmFrames });
          const ys = [
            ...Array.from({ length: confirmFrames + 1 }, () => (startAbove ? 150 : 250)),
            ...jitter.map((j) => 200 + j),
            ...Array.from({ length: confirmFrames + 1 }, () => (endAbove ? 150 : 250)),
          ];
          ys.forEach((y, i) => {
            const p = { x: Math.min(495, Math.max(105, x + (xJitter[i] ?? 0))), y };
            c.observe(1, p, i * 100);
            both.observe(1, p, i * 100);
          });
          const t = c.totals();
          const trueNet = (startAbove ? 1 : 0) - (endAbove ? 1 : 0); // above→below = +1 in
          expect(t.in - t.out).toBe(trueNet);
          expect(t.in + t.out).toBe(Math.abs(trueNet));
          // counting both legs of every crossing keeps the same net (occupancy) figure
          const b = both.totals();
          expect(b.in - b.out).toBe(trueNet);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('property: jitter that stays inside the dead band never counts', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -7.9, max: 7.9, noNaN: true }), { maxLength: 60 }),
        fc.boolean(),
        (jitter, above) => {
          const c = new LineCounter({ line, deadBand: 8, confirmFrames: 1 });
          c.observe(1, { x: 300, y: above ? 150 : 250 }, 0);
          jitter.forEach((j, i) => c.observe(1, { x: 300, y: 200 + j }, i + 1));
          c.observe(1, { x: 300, y: above ? 150 : 250 }, 99);
          expect(c.totals()).toEqual({ in: 0, out: 0 });
        },
      ),
      { numRuns: 300 },
    );
  });
});
