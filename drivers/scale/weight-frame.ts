// Scale protocol: the CAS-style ASCII weight frame spoken by CAS (PD-II, ER, EC), ACS and
// many Chinese counter/platform scales in "RS-232 continuous / on request" mode:
//
//   <status>,<mode>,<sign><value><unit> CR LF        e.g.  "ST,GS,+  1.234kg\r\n"
//   status: ST stable | US unstable | OL overload     mode: GS gross | NT net (after tare)
//   value:  right-aligned, leading spaces or zeros, decimal point as sent by the scale
//   unit:   kg | g | lb | oz
//
// Host commands (single ASCII letters, as on Toledo-style request scales):
//   W  send one weight frame      Z  zero the scale      T  tare (next frames are NT)
// In continuous mode the scale streams frames without requests; the driver keeps the latest.
export interface WeightFrame {
  stable: boolean;
  overload: boolean;
  net: boolean;
  grams: number;
  unit: 'kg' | 'g' | 'lb' | 'oz';
  raw: string;
}

const FRAME_RE = /^(ST|US|OL),(GS|NT),([+-])\s*(\d{1,7}(?:\.\d{1,4})?)\s*(kg|g|lb|oz)$/;
const GRAMS_PER: Record<WeightFrame['unit'], number> = { kg: 1000, g: 1, lb: 453.59237, oz: 28.349523125 };

export class WeightFrameError extends Error {
  readonly code = 'SCALE_FRAME_INVALID';
  constructor(readonly raw: string) {
    super(`not a weight frame: ${JSON.stringify(raw.slice(0, 40))}`);
    this.name = 'WeightFrameError';
  }
}

export function parseWeightFrame(line: string): WeightFrame {
  const raw = line.trim();
  const m = FRAME_RE.exec(raw);
  if (!m) throw new WeightFrameError(raw);
  const unit = m[5] as WeightFrame['unit'];
  const value = Number(m[4]);
  const grams = Math.round(value * GRAMS_PER[unit]) * (m[3] === '-' ? -1 : 1);
  return {
    stable: m[1] === 'ST',
    overload: m[1] === 'OL',
    net: m[2] === 'NT',
    grams: Object.is(grams, -0) ? 0 : grams,
    unit,
    raw,
  };
}

export function formatWeightFrame(f: { stable: boolean; overload?: boolean; net?: boolean; grams: number }): string {
  const status = f.overload ? 'OL' : f.stable ? 'ST' : 'US';
  const sign = f.grams < 0 ? '-' : '+';
  const kg = (Math.abs(f.grams) / 1000).toFixed(3).padStart(7, ' ');
  return `${status},${f.net ? 'NT' : 'GS'},${sign}${kg}kg\r\n`;
}
