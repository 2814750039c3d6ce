// Minor-unit digits and ISO 4217 numeric codes for the currencies a store here may price in.
// Prices leave the parser as integer minor units (fen for CNY).

const MINOR_DIGITS: Record<string, number> = {
  CNY: 2,
  HKD: 2,
  MOP: 2,
  TWD: 2,
  USD: 2,
  EUR: 2,
  GBP: 2,
  SGD: 2,
  JPY: 0,
  KRW: 0,
};
const ISO_NUMERIC: Record<string, string> = {
  CNY: '156',
  HKD: '344',
  MOP: '446',
  TWD: '901',
  USD: '840',
  EUR: '978',
  GBP: '826',
  SGD: '702',
  JPY: '392',
  KRW: '410',
};

export function minorDigits(currencyIso: string): number {
  return MINOR_DIGITS[currencyIso.toUpperCase()] ?? 2;
}

export function isoNumeric(currencyIso: string): string | undefined {
  return ISO_NUMERIC[currencyIso.toUpperCase()];
}

/**
 * Converts an integer `value` with `decimals` implied decimal places into integer minor units.
 * Returns null when that would need rounding (e.g. 12.345 yuan) or exceeds safe integers.
 */
export function toMinorUnits(value: string, decimals: number, minor: number): number | null {
  const digits = value.replace(/^0+(?=\d)/, '');
  let minorStr: string;
  if (decimals <= minor) minorStr = digits + '0'.repeat(minor - decimals);
  else {
    const drop = decimals - minor;
    const tail = digits.slice(-drop).padStart(drop, '0');
    if (/[^0]/.test(tail)) return null;
    minorStr = digits.length > drop ? digits.slice(0, -drop) : '0';
  }
  const n = Number(minorStr);
  return Number.isSafeInteger(n) ? n : null;
}
