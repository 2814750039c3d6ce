// GS1 check digits: the mod-10 check of every GTIN/SSCC/GLN, and the price/weight check
// digit some in-store variable-measure labels carry (GS1 General Specifications §7.9).

/** Mod-10 check digit (weights 3,1,3,… from the right) for a string of digits without its check. */
export function gs1CheckDigit(digitsWithoutCheck: string): number {
  let sum = 0;
  let weight = 3;
  for (let i = digitsWithoutCheck.length - 1; i >= 0; i--) {
    const d = digitsWithoutCheck.charCodeAt(i) - 48;
    if (d < 0 || d > 9) throw new RangeError('gs1CheckDigit expects digits only');
    sum += d * weight;
    weight = 4 - weight;
  }
  return (10 - (sum % 10)) % 10;
}

/** True when `digits` (check digit last) is all digits and its last digit is the GS1 check. */
export function hasValidGs1CheckDigit(digits: string): boolean {
  if (digits.length < 2 || !/^\d+$/.test(digits)) return false;
  return gs1CheckDigit(digits.slice(0, -1)) === digits.charCodeAt(digits.length - 1) - 48;
}

// Weighting-factor tables from GS1 GenSpecs §7.9.3: each maps a digit to its weighted product.
const TWO_MINUS = [0, 2, 4, 6, 8, 9, 1, 3, 5, 7]; // ×2, units minus tens
const THREE = [0, 3, 6, 9, 2, 5, 8, 1, 4, 7]; // ×3, units
const FIVE_PLUS = [0, 5, 1, 6, 2, 7, 3, 8, 4, 9]; // ×5, units plus tens
const FIVE_MINUS = [0, 5, 9, 4, 8, 3, 7, 2, 6, 1]; // ×5, units minus tens

/**
 * Check digit over a 4- or 5-digit price/weight field of a variable-measure label.
 * 4 digits: factors 2-, 2-, 3, 5-; sum × 3, units digit.
 * 5 digits: factors 5+, 2-, 5-, 5+, 2-; (10 − sum mod 10) mod 10, then the digit whose 5- product is that.
 */
export function priceCheckDigit(field: string): number {
  if (!/^\d{4,5}$/.test(field)) throw new RangeError('priceCheckDigit expects 4 or 5 digits');
  const d = Array.from(field, (c) => c.charCodeAt(0) - 48);
  if (d.length === 4) {
    const sum = TWO_MINUS[d[0]!]! + TWO_MINUS[d[1]!]! + THREE[d[2]!]! + FIVE_MINUS[d[3]!]!;
    return (sum * 3) % 10;
  }
  const sum = FIVE_PLUS[d[0]!]! + TWO_MINUS[d[1]!]! + FIVE_MINUS[d[2]!]! + FIVE_PLUS[d[3]!]! + TWO_MINUS[d[4]!]!;
  const target = (10 - (sum % 10)) % 10;
  return FIVE_MINUS.indexOf(target);
}
