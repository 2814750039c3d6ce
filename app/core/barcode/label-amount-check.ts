// A scale label that carries both the amount and the weight (the 18-digit 26 form) says the same
// thing twice. The till checks the two against the product's price per kg instead of trusting
// either: a mismatch means a label printed under an old price, a tampered label or a scale whose
// PLU table is out of step with the till, and the cashier must see it. Pure.

export interface LabelAmountCheck {
  ok: boolean;
  /** Amount the weight is worth at the till's price per kg, rounded to the fen. */
  expected: number;
  /** Amount printed on the label. */
  labelled: number;
  /** labelled − expected, in fen. */
  difference: number;
}

/**
 * `toleranceFen`: how far the label's amount may be from weight × price per kg. 1 fen covers the
 * scale's own rounding; a scale set to round to 角 (抹分) needs 5 or 9.
 */
export function checkLabelAmount(
  label: { price: number; weightGrams: number },
  pricePerKg: number,
  toleranceFen = 1,
): LabelAmountCheck {
  const expected = Math.round((label.weightGrams * pricePerKg) / 1000);
  const difference = label.price - expected;
  return { ok: Math.abs(difference) <= toleranceFen, expected, labelled: label.price, difference };
}
