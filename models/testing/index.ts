// Test helpers for the vision models (dev only, never loaded by the runtime): a tiny generated
// detector, parity helpers against the sample images, synthetic TFJS graphs and the TFJS
// reference runner (loads @tensorflow/tfjs on first use).
export * from './tiny-detector';
export * from './parity-helpers';
export * from './synthetic-tfjs-graph';
export * from './tfjs-reference';
export * from './batch-export';
