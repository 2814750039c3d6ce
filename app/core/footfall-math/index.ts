// Footfall maths shared by the till (footfall.conversion) and the edge agent (GET /conversion):
// pure, no I/O, no clock, so both sides count a store day the same way.
export * from './footfall-math';
