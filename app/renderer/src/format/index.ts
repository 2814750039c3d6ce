// Formatting of money (integer fen) and weights (grams) for display and cashier input.
export * from './money';
