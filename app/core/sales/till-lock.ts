// One money movement at a time per till: a payment or a return awaits the payment gateway
// between its checks and its commit, and a second one in that window could double-charge or
// over-refund. The second caller gets CONFLICT instead of waiting behind a slow gateway.
import { PosError } from '../../contract';
import type { CoreContext } from '../context';

const busy = new WeakMap<CoreContext, string>();

export async function withTillLock<T>(ctx: CoreContext, what: string, fn: () => Promise<T>): Promise<T> {
  const current = busy.get(ctx);
  if (current) throw new PosError('CONFLICT', { reason: `till-busy-${current}`, busyWith: current });
  busy.set(ctx, what);
  try {
    return await fn();
  } finally {
    busy.delete(ctx);
  }
}
