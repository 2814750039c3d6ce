// Formatting of money (integer fen), weights (grams) and times for display and cashier input.
export * from './money';
export * from './time';
