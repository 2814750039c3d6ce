// Serial scale emulator (CAS-style frames, see drivers/scale/weight-frame.ts) on one end of a
// PTY pair: answers W/Z/T, can stream continuously, wobble (unstable), go negative, overload,
// stay silent, or send garbage.
import type { SerialPort } from 'serialport';
import { formatWeightFrame } from '../scale';

export class ScaleEmulator {
  grams = 0;
  tareGrams = 0;
  stable = true;
  overload = false;
  silent = false;
  private port: SerialPort | null = null;
  private stream: NodeJS.Timeout | null = null;

  constructor(
    private readonly path: string,
    private readonly opts: { baud?: number; continuousMs?: number } = {},
  ) {}

  async open(): Promise<void> {
    const { SerialPort } = await import('serialport');
    return new Promise((resolve, reject) => {
      const p = new SerialPort({ path: this.path, baudRate: this.opts.baud ?? 9600, autoOpen: false, hupcl: false });
      p.open((err) => {
        if (err) return reject(err);
        p.on('error', () => {});
        p.on('data', (d: Buffer) => {
          for (const c of d.toString('latin1')) this.onCommand(c);
        });
        this.port = p;
        if (this.opts.continuousMs) this.stream = setInterval(() => this.sendFrame(), this.opts.continuousMs);
        resolve();
      });
    });
  }

  setWeight(grams: number, stable = true): void {
    this.grams = grams;
    this.stable = stable;
  }

  private onCommand(c: string): void {
    if (this.silent) return;
    if (c === 'Z') {
      this.grams = 0;
      this.tareGrams = 0;
      this.sendFrame();
    } else if (c === 'T') {
      this.tareGrams = this.grams;
      this.sendFrame();
    } else if (c === 'W') this.sendFrame();
  }

  private sendFrame(): void {
    if (this.silent) return;
    const net = this.tareGrams !== 0;
    // An unstable scale's reading wanders by a few grams between frames.
    const wobble = this.stable ? 0 : Math.round(Math.random() * 8) - 4;
    this.sendRaw(
      formatWeightFrame({
        stable: this.stable,
        overload: this.overload,
        net,
        grams: this.grams - this.tareGrams + wobble,
      }),
    );
  }

  sendRaw(bytes: Uint8Array | string): void {
    this.port?.write(Buffer.from(bytes as Uint8Array));
  }

  close(): Promise<void> {
    if (this.stream) clearInterval(this.stream);
    const p = this.port;
    this.port = null;
    return p?.isOpen ? new Promise((r) => p.close(() => r())) : Promise.resolve();
  }
}
