// sync/core: pure CRDT core (no I/O): hybrid logical clock, op shapes, merge rules per data kind.
export * from './hlc';
export * from './ops';
export * from './stock';
export * from './members';
export * from './digest';
export * from './replica-state';
export * from './op-factory';
export * from './authorship';
export * from './orders';
export * from './coupons';
export * from './staff';
export * from './purchase-orders';
