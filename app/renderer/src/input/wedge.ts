// Keyboard-wedge barcode detection. A scanner in wedge mode "types" the code as a burst of
// key events a few milliseconds apart, then Enter (or a configured suffix). People type far
// slower. A burst is recognised by its MEAN gap (at most maxInterKeyMs) while single gaps may
// stretch to BURST_SLACK times that, because a busy machine delivers a scanner's keys unevenly.
// To never let a burst land in whatever input has focus, printable keys are held back until we
// know what they are: a burst completes (a scan), the gap since the last key grows past the
// slack, or three keys already average too slow for a scanner. Then the held text is released
// to its target as human typing, and a person typing on is not held back again until they pause.
// Pure: the caller supplies event times and runs the flush timer (see wedge-listener.ts).

export interface WedgeConfig {
  /** Characters the scanner sends before the code ('' for none). */
  prefix: string;
  /** Characters after the code ('' , '\r' or '\n' mean Enter; '\t' means Tab). Enter always ends a burst. */
  suffix: string;
  /** Keys further apart than this are human typing. */
  maxInterKeyMs: number;
  /** Shortest code (without prefix/suffix) that counts as a scan. */
  minLength: number;
}

export interface WedgeKey {
  key: string; // KeyboardEvent.key
  time: number; // KeyboardEvent.timeStamp (ms)
  ctrl?: boolean;
  alt?: boolean;
  meta?: boolean;
  repeat?: boolean;
  composing?: boolean; // IME composition (pinyin input) is never a scan
}

export interface WedgeStep {
  /** Swallow this key (preventDefault): it is held or ends a scan. */
  consume: boolean;
  /** Held human text to deliver now, before this key takes effect ('' for none). */
  release: string;
  /** A complete scan (prefix/suffix stripped), or null. */
  scan: string | null;
}

/** A single gap inside a burst may be this many times maxInterKeyMs (the mean may not). */
export const BURST_SLACK = 3;

const MODIFIER_KEYS = new Set(['Shift', 'Control', 'Alt', 'Meta', 'CapsLock', 'AltGraph', 'NumLock']);

export class WedgeDetector {
  private buf = '';
  private first = -Infinity;
  private last = -Infinity;
  /** 'human' once held keys proved too slow for a scanner: further slow keys pass straight through. */
  private mode: 'idle' | 'burst' | 'human' = 'idle';

  constructor(private cfg: WedgeConfig) {}

  configure(cfg: WedgeConfig): void {
    this.cfg = cfg;
  }

  /** When the held text becomes human typing if no further key arrives; null if nothing is held. */
  get deadline(): number | null {
    return this.buf === '' ? null : this.last + this.slack();
  }

  get pending(): string {
    return this.buf;
  }

  key(k: WedgeKey): WedgeStep {
    // Scanners may press Shift for capitals: modifiers alone neither end nor break a burst.
    if (MODIFIER_KEYS.has(k.key)) return { consume: false, release: '', scan: null };
    if (k.composing || k.key === 'Process' || k.key === 'Dead' || k.key === 'Unidentified') {
      this.mode = 'idle';
      return { consume: false, release: this.take(), scan: null };
    }
    const gap = k.time - this.last;
    const { maxInterKeyMs } = this.cfg;
    const withinSlack = gap <= this.slack();
    const printable = k.key.length === 1 && !k.ctrl && !k.alt && !k.meta;
    this.last = k.time;
    if (!withinSlack && this.mode === 'human') this.mode = 'idle';

    if (printable && !k.repeat) {
      // A person typing on: slow keys go straight to their target, no lag.
      if (this.mode === 'human' && gap > maxInterKeyMs) return { consume: false, release: '', scan: null };
      const release = withinSlack ? '' : this.take();
      if (this.buf === '') this.first = k.time;
      this.buf += k.key;
      this.mode = 'burst';
      const sfx = this.printableSuffix();
      if (sfx && this.buf.endsWith(sfx)) {
        const code = this.codeOf(this.buf.slice(0, -sfx.length), k.time);
        if (code !== null) {
          this.reset();
          return { consume: true, release, scan: code };
        }
      }
      // Two gaps averaging over twice the limit are a person, not an unevenly delivered scan:
      // give them their text now rather than when they pause.
      if (this.buf.length >= 3 && (k.time - this.first) / (this.buf.length - 1) > 2 * maxInterKeyMs) {
        const typed = release + this.take();
        this.mode = 'human';
        return { consume: true, release: typed, scan: null };
      }
      return { consume: true, release, scan: null };
    }

    if (this.isTerminator(k.key) && this.buf !== '' && withinSlack) {
      const code = this.codeOf(this.buf, k.time);
      if (code !== null) {
        this.reset();
        return { consume: true, release: '', scan: code };
      }
    }
    // Enter or Tab ends what a person typed: the next keys may be a scan that follows at once (a
    // quantity, Enter, then the scanner), so they are held again rather than passed as typing on.
    if (k.key === 'Enter' || k.key === 'Tab') this.mode = 'idle';
    return { consume: false, release: this.take(), scan: null };
  }

  /** Timer tick: returns held text whose window has passed ('' if none yet). */
  flush(now: number): string {
    if (this.buf !== '' && now - this.last > this.slack()) {
      this.mode = 'idle';
      return this.take();
    }
    return '';
  }

  /** Give back everything held (e.g. focus moved, window blurred). */
  take(): string {
    const t = this.buf;
    this.buf = '';
    return t;
  }

  private reset(): void {
    this.buf = '';
    this.mode = 'idle';
  }

  private slack(): number {
    return this.cfg.maxInterKeyMs * BURST_SLACK;
  }

  /** The code if the held keys (ended at `end`) were fast enough on average and long enough. */
  private codeOf(burst: string, end: number): string | null {
    const { prefix, minLength, maxInterKeyMs } = this.cfg;
    const held = this.buf.length;
    if ((end - this.first) / held > maxInterKeyMs) return null;
    if (prefix && !burst.startsWith(prefix)) return null;
    const code = burst.slice(prefix.length);
    return code.length >= Math.max(1, minLength) ? code : null;
  }

  private isTerminator(key: string): boolean {
    if (key === 'Enter') return true;
    return this.cfg.suffix === '\t' && key === 'Tab';
  }

  private printableSuffix(): string {
    const s = this.cfg.suffix;
    return s === '' || s === '\r' || s === '\n' || s === '\r\n' || s === '\t' ? '' : s;
  }
}
