// Serial retail scale (see weight-frame.ts for the protocol). readWeight() returns a stable,
// non-negative weight in grams or throws a ScaleError a cashier can act on.
import { PosDevice, type BaseDeviceEvents } from '../device';
import { LineAssembler } from '../scanner';
import type { Transport } from '../transports';
import { parseWeightFrame, type WeightFrame } from './weight-frame';

export interface WeightReading {
  grams: number;
  stable: boolean;
  net: boolean;
  overload: boolean;
  unit: WeightFrame['unit'];
}

export interface ScaleEvents extends BaseDeviceEvents {
  data: [WeightReading];
}

export type ScaleErrorCode =
  'SCALE_NO_ANSWER' | 'SCALE_UNSTABLE' | 'SCALE_NEGATIVE' | 'SCALE_OVERLOAD' | 'SCALE_ZERO_WEIGHT';

/** English, for logs and the CLI; the till translates the code. */
const MESSAGES: Record<ScaleErrorCode, string> = {
  SCALE_NO_ANSWER: 'The scale does not answer. Check its cable and power.',
  SCALE_UNSTABLE: 'Weight is not stable. Keep the goods still on the scale.',
  SCALE_NEGATIVE: 'Weight is below zero. Empty the scale and press zero.',
  SCALE_OVERLOAD: 'The scale is overloaded. Remove some goods.',
  SCALE_ZERO_WEIGHT: 'Nothing on the scale.',
};

export class ScaleError extends Error {
  constructor(readonly code: ScaleErrorCode) {
    super(MESSAGES[code]);
    this.name = 'ScaleError';
  }
}

export interface ScaleOptions {
  /** Consecutive identical stable frames needed to accept a weight. Default 2. */
  confirmReadings?: number;
  /** How long one request may wait for a frame. Default 500 ms. */
  requestTimeoutMs?: number;
  /** Scale streams frames by itself; do not send W. */
  continuous?: boolean;
}

export class Scale extends PosDevice<ScaleEvents> {
  readonly kind = 'scale' as const;
  private lines = new LineAssembler('\r\n', 64);
  private frameWaiters: ((r: WeightReading) => void)[] = [];
  private readonly o: Required<ScaleOptions>;

  constructor(id: string, transport: Transport, opts: ScaleOptions = {}) {
    super(id, transport);
    this.o = {
      confirmReadings: opts.confirmReadings ?? 2,
      requestTimeoutMs: opts.requestTimeoutMs ?? 500,
      continuous: opts.continuous ?? false,
    };
  }

  protected onData(d: Buffer): void {
    for (const r of this.lines.push(d)) {
      if (!r.ok) {
        this.reportError('SCALE_FRAME_INVALID', 'Unreadable data from the scale, ignored.', r.detail);
        continue;
      }
      let f: WeightFrame;
      try {
        f = parseWeightFrame(r.line);
      } catch (err) {
        this.reportError('SCALE_FRAME_INVALID', 'Unreadable data from the scale, ignored.', (err as Error).message);
        continue;
      }
      const reading: WeightReading = {
        grams: f.grams,
        stable: f.stable,
        net: f.net,
        overload: f.overload,
        unit: f.unit,
      };
      this.emit('data', reading);
      this.frameWaiters.shift()?.(reading);
    }
  }

  private nextFrame(command: string | null): Promise<WeightReading | null> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        const i = this.frameWaiters.indexOf(onFrame);
        if (i >= 0) this.frameWaiters.splice(i, 1);
        resolve(null);
      }, this.o.requestTimeoutMs);
      const onFrame = (r: WeightReading) => {
        clearTimeout(t);
        resolve(r);
      };
      this.frameWaiters.push(onFrame);
      if (command)
        this.transport.write(Buffer.from(command, 'latin1')).catch(() => {
          clearTimeout(t);
          resolve(null);
        });
    });
  }

  /** A stable weight in grams; throws ScaleError when unstable, negative, overloaded or silent. */
  async readWeight(opts: { timeoutMs?: number; allowZero?: boolean } = {}): Promise<WeightReading> {
    this.assertEnabled();
    const deadline = Date.now() + (opts.timeoutMs ?? 3000);
    let last: WeightReading | null = null,
      same = 0,
      heard = false;
    while (Date.now() < deadline) {
      const r = await this.nextFrame(this.o.continuous ? null : 'W');
      if (!r) continue;
      heard = true;
      if (r.overload) throw new ScaleError('SCALE_OVERLOAD');
      if (!r.stable) {
        same = 0;
        last = r;
        continue;
      }
      same = last && last.stable && last.grams === r.grams ? same + 1 : 1;
      last = r;
      if (same >= this.o.confirmReadings) {
        if (r.grams < 0) throw new ScaleError('SCALE_NEGATIVE');
        if (r.grams === 0 && !opts.allowZero) throw new ScaleError('SCALE_ZERO_WEIGHT');
        return r;
      }
    }
    if (!heard) throw new ScaleError('SCALE_NO_ANSWER');
    if (last && last.stable && last.grams < 0) throw new ScaleError('SCALE_NEGATIVE');
    throw new ScaleError('SCALE_UNSTABLE');
  }

  async zero(): Promise<WeightReading> {
    return this.command('Z');
  }
  async tare(): Promise<WeightReading> {
    return this.command('T');
  }

  private async command(c: 'Z' | 'T'): Promise<WeightReading> {
    this.assertEnabled();
    const r = await this.nextFrame(c);
    if (!r) throw new ScaleError('SCALE_NO_ANSWER');
    return r;
  }
}
