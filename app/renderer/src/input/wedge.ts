// Keyboard-wedge barcode detection. A scanner in wedge mode "types" the code as a burst of
// key events a few milliseconds apart, then Enter (or a configured suffix). People type far
// slower. To never let a burst land in whatever input has focus, every printable key is held
// back until we know what it is: either a burst completes (a scan) or the gap since the last
// key grows past maxInterKeyMs and the held text is released to its target as human typing.
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
  key: string;          // KeyboardEvent.key
  time: number;         // KeyboardEvent.timeStamp (ms)
  ctrl?: boolean;
  alt?: boolean;
  meta?: boolean;
  repeat?: boolean;
  composing?: boolean;  // IME composition (pinyin input) is never a scan
}

export interface WedgeStep {
  /** Swallow this key (preventDefault): it is held or ends a scan. */
  consume: boolean;
  /** Held human text to deliver now, before this key takes effect ('' for none). */
  release: string;
  /** A complete scan (prefix/suffix stripped), or null. */
  scan: string | null;
}

const MODIFIER_KEYS = new Set(['Shift', 'Control', 'Alt', 'Meta', 'CapsLock', 'AltGraph', 'NumLock']);

export class WedgeDetector {
  private buf = '';
  private last = -Infinity;

  constructor(private cfg: WedgeConfig) {}

  configure(cfg: WedgeConfig): void { this.cfg = cfg; }

  /** When the held text becomes human typing if no further key arrives; null if nothing is held. */
  get deadline(): number | null {
    return this.buf === '' ? null : this.last + this.cfg.maxInterKeyMs;
  }

  get pending(): string { return this.buf; }

  key(k: WedgeKey): WedgeStep {
    // Scanners may press Shift for capitals: modifiers alone neither end nor break a burst.
    if (MODIFIER_KEYS.has(k.key)) return { consume: false, release: '', scan: null };
    if (k.composing || k.key === 'Process' || k.key === 'Dead' || k.key === 'Unidentified') {
      return { consume: false, release: this.take(), scan: null };
    }
    const gap = k.time - this.last;
    const fast = gap <= this.cfg.maxInterKeyMs;
    const printable = k.key.length === 1 && !k.ctrl && !k.alt && !k.meta;

    if (printable && !k.repeat) {
      const release = fast ? '' : this.take();
      this.buf += k.key;
      this.last = k.time;
      const sfx = this.printableSuffix();
      if (sfx && this.buf.endsWith(sfx)) {
        const code = this.codeOf(this.buf.slice(0, -sfx.length));
        if (code !== null) { this.buf = ''; return { consume: true, release, scan: code }; }
      }
      return { consume: true, release, scan: null };
    }

    if (this.isTerminator(k.key) && this.buf !== '' && fast) {
      const code = this.codeOf(this.buf);
      if (code !== null) { this.buf = ''; this.last = k.time; return { consume: true, release: '', scan: code }; }
    }
    return { consume: false, release: this.take(), scan: null };
  }

  /** Timer tick: returns held text whose window has passed ('' if none yet). */
  flush(now: number): string {
    if (this.buf !== '' && now - this.last > this.cfg.maxInterKeyMs) return this.take();
    return '';
  }

  /** Give back everything held (e.g. focus moved, window blurred). */
  take(): string {
    const t = this.buf;
    this.buf = '';
    return t;
  }

  private codeOf(burst: string): string | null {
    const { prefix, minLength } = this.cfg;
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
