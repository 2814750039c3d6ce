// Receipt printer device (ESC/POS over any transport), cash drawer kick, and the durable
// SQLite-backed print queue.
export * from './receipt-printer';
export * from './print-queue';
