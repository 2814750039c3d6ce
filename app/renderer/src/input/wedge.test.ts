import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { WedgeDetector, type WedgeConfig, type WedgeKey } from './wedge';

const cfg: WedgeConfig = { prefix: '', suffix: '', maxInterKeyMs: 30, minLength: 6 };

/** Feeds keys, running the flush timer between them the way the DOM listener does; returns what came out. */
function run(d: WedgeDetector, keys: WedgeKey[]): { scans: string[]; typed: string; passed: string[] } {
  const scans: string[] = [];
  let typed = '';
  const passed: string[] = [];
  for (const k of keys) {
    const due = d.deadline;
    if (due !== null && k.time > due + 1) typed += d.flush(due + 1);
    const step = d.key(k);
    typed += step.release;
    if (step.scan !== null) scans.push(step.scan);
    if (!step.consume && k.key.length === 1 && !k.ctrl)
      typed += k.key; // went straight to the input
    else if (!step.consume) passed.push(k.key);
  }
  const due = d.deadline;
  if (due !== null) typed += d.flush(due + 1);
  return { scans, typed, passed };
}

function burst(text: string, start: number, gap: number, end = 'Enter'): WedgeKey[] {
  const keys = [...text].map((key, i) => ({ key, time: start + i * gap }));
  if (end) keys.push({ key: end, time: start + text.length * gap });
  return keys;
}

describe('WedgeDetector', () => {
  it('recognises a fast burst ended by Enter and swallows every key of it', () => {
    const r = run(new WedgeDetector(cfg), burst('6901234567892', 1000, 5));
    expect(r.scans).toEqual(['6901234567892']);
    expect(r.typed).toBe('');
    expect(r.passed).toEqual([]);
  });

  it('gives slow human typing back in order and lets Enter through', () => {
    const r = run(new WedgeDetector(cfg), burst('123456789', 1000, 120));
    expect(r.scans).toEqual([]);
    expect(r.typed).toBe('123456789');
    expect(r.passed).toEqual(['Enter']);
  });

  it('accepts a burst whose keys arrive unevenly (a busy machine) as long as the mean gap is short', () => {
    const gaps = [5, 7, 60, 4, 5, 80, 3, 4, 5, 6, 4, 5, 5];
    let t = 0;
    const keys = [...'6901234567892'].map((key, i) => ({ key, time: (t += gaps[i]!) }));
    keys.push({ key: 'Enter', time: t + 5 });
    const r = run(new WedgeDetector(cfg), keys);
    expect(r.scans).toEqual(['6901234567892']);
    expect(r.typed).toBe('');
  });

  it('does not take steady typing slower than maxInterKeyMs for a scan, even inside the slack', () => {
    const r = run(new WedgeDetector(cfg), burst('12345678', 0, 50));
    expect(r.scans).toEqual([]);
    expect(r.typed).toBe('12345678');
    expect(r.passed).toEqual(['Enter']);
  });

  it('lets a person type on without lag once the first keys proved slow', () => {
    const d = new WedgeDetector(cfg);
    expect(d.key({ key: 'x', time: 0 }).consume).toBe(true);
    expect(d.key({ key: 'i', time: 75 }).consume).toBe(true);
    expect(d.key({ key: 'a', time: 150 })).toEqual({ consume: true, release: 'xia', scan: null });
    expect(d.key({ key: 'n', time: 230 })).toEqual({ consume: false, release: '', scan: null });
    expect(d.key({ key: 'g', time: 300 })).toEqual({ consume: false, release: '', scan: null });
    expect(d.pending).toBe('');
  });

  it('does not take a short fast burst (e.g. a PIN typed quickly) for a scan', () => {
    const r = run(new WedgeDetector(cfg), burst('1234', 1000, 5));
    expect(r.scans).toEqual([]);
    expect(r.typed).toBe('1234');
    expect(r.passed).toEqual(['Enter']);
  });

  it('releases held text before a non-printable key takes effect', () => {
    const d = new WedgeDetector(cfg);
    d.key({ key: 'a', time: 0 });
    const step = d.key({ key: 'Backspace', time: 10 });
    expect(step).toEqual({ consume: false, release: 'a', scan: null });
  });

  it('separates human typing from a scan that starts right after it', () => {
    const keys = [{ key: 'x', time: 0 }, { key: 'y', time: 200 }, ...burst('12345678', 400, 4)];
    const r = run(new WedgeDetector(cfg), keys);
    expect(r.typed).toBe('xy');
    expect(r.scans).toEqual(['12345678']);
  });

  it('holds a scan that follows human typing and its Enter at once (its first key is not typed)', () => {
    // Typing on (slow keys), Enter, then the scanner 60 ms later: slower than maxInterKeyMs after
    // the Enter, but within the slack, which once let the scan's first digit through as typing.
    const keys = [...burst('123', 0, 80), ...burst('6947994004017', 300, 4)];
    const r = run(new WedgeDetector(cfg), keys);
    expect(r.typed).toBe('123');
    expect(r.scans).toEqual(['6947994004017']);
    expect(r.passed).toEqual(['Enter']);
  });

  it('treats an Enter that comes too late after the burst as human', () => {
    const keys = [...burst('12345678', 0, 4, ''), { key: 'Enter', time: 200 }];
    const r = run(new WedgeDetector(cfg), keys);
    expect(r.scans).toEqual([]);
    expect(r.typed).toBe('12345678');
    expect(r.passed).toEqual(['Enter']);
  });

  it('ignores Shift presses inside a burst (scanners use them for capitals)', () => {
    const keys: WedgeKey[] = [
      { key: 'Shift', time: 0 },
      { key: 'R', time: 2 },
      { key: 'C', time: 4 },
      ...burst('000123', 6, 3),
    ];
    const r = run(new WedgeDetector(cfg), keys);
    expect(r.scans).toEqual(['RC000123']);
    expect(r.passed).toEqual(['Shift']);
  });

  it('requires the configured prefix and strips it', () => {
    const d = new WedgeDetector({ ...cfg, prefix: ']C1' });
    expect(run(d, burst(']C16901234567892', 0, 3)).scans).toEqual(['6901234567892']);
    const r = run(d, burst('6901234567892', 1000, 3));
    expect(r.scans).toEqual([]);
    expect(r.typed).toBe('6901234567892');
  });

  it('ends a burst on a printable suffix', () => {
    const d = new WedgeDetector({ ...cfg, suffix: '#' });
    const r = run(d, burst('6901234567892#', 0, 3, ''));
    expect(r.scans).toEqual(['6901234567892']);
    expect(r.typed).toBe('');
  });

  it('ends a burst on Tab when the suffix is a tab', () => {
    const d = new WedgeDetector({ ...cfg, suffix: '\t' });
    expect(run(d, burst('6901234567892', 0, 3, 'Tab')).scans).toEqual(['6901234567892']);
  });

  it('never holds IME composition or key repeats', () => {
    const d = new WedgeDetector(cfg);
    expect(d.key({ key: 'Process', time: 0, composing: true }).consume).toBe(false);
    expect(d.key({ key: 'a', time: 1, repeat: true }).consume).toBe(false);
    expect(d.key({ key: 'c', time: 2, ctrl: true }).consume).toBe(false);
  });

  it('never loses or reorders a character, whatever the timing (property)', () => {
    const key = fc.constantFrom(...'0123456789abcXYZ'.split(''), 'Enter', 'Backspace', 'Shift');
    fc.assert(
      fc.property(fc.array(fc.record({ key, gap: fc.integer({ min: 0, max: 100 }) }), { maxLength: 60 }), (seq) => {
        const d = new WedgeDetector(cfg);
        let t = 0;
        const keys = seq.map(({ key: k, gap }) => ({ key: k, time: (t += gap) }));
        const r = run(d, keys);
        // Every printable key comes out exactly once: either inside a scan or as typed text.
        const printable = keys
          .filter((k) => k.key.length === 1)
          .map((k) => k.key)
          .join('');
        const outChars = [...r.scans.join(''), ...r.typed].sort().join('');
        expect(outChars).toBe([...printable].sort().join(''));
        // Human text keeps its order relative to itself.
        let i = 0;
        for (const c of r.typed) {
          i = printable.indexOf(c, i);
          expect(i).toBeGreaterThanOrEqual(0);
          i += 1;
        }
      }),
    );
  });
});
