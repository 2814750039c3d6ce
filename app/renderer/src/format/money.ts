// Money and weight formatting/parsing for the till. Money is integer fen everywhere; the
// cashier types yuan ("12.5") and we parse the string digit by digit, never through floats.

/** 1234 -> "¥12.34"; negative amounts keep their sign before the symbol. */
export function formatFen(fen: number, symbol = '¥'): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(fen));
  const yuan = Math.floor(abs / 100);
  const cents = abs % 100;
  return `${sign}${symbol}${yuan.toLocaleString('en-US')}.${cents.toString().padStart(2, '0')}`;
}

/** "12" -> 1200, "12.5" -> 1250, "0.05" -> 5, "" or junk -> null. At most two decimals. */
export function parseYuan(text: string): number | null {
  const m = /^\s*(\d{1,9})?(?:[.,](\d{0,2}))?\s*$/.exec(text);
  if (!m || (m[1] === undefined && (m[2] === undefined || m[2] === ''))) return null;
  const yuan = Number(m[1] ?? '0');
  const cents = Number((m[2] ?? '').padEnd(2, '0'));
  return yuan * 100 + cents;
}

/** 512 -> "0.512 kg". */
export function formatGrams(grams: number): string {
  const kg = Math.floor(grams / 1000);
  const rest = grams % 1000;
  return `${kg}.${rest.toString().padStart(3, '0')} kg`;
}

/** Digits only, as grams: "512" -> 512; anything else -> null. */
export function parseGrams(text: string): number | null {
  const m = /^\s*(\d{1,7})\s*$/.exec(text);
  if (!m) return null;
  const g = Number(m[1]);
  return g > 0 ? g : null;
}

export type CashRoundingMode = 'none' | 'down' | 'nearest';

/**
 * 抹零: the amount a customer pays when the sale is settled wholly in cash. The core is the
 * authority; the till uses this only to show the cashier the cash figure up front.
 */
export function roundCash(totalFen: number, mode: CashRoundingMode, unit: number): number {
  if (mode === 'none' || unit <= 1) return totalFen;
  const rest = totalFen % unit;
  if (mode === 'down') return totalFen - rest;
  return rest * 2 >= unit ? totalFen - rest + unit : totalFen - rest;
}
