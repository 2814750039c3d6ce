// What every domain service gets from the composition root: the database, the clock,
// the logger, the terminal identity, the event bus and the payment-code provider.
import type { EventEmitter } from 'node:events';
import type pino from 'pino';
import type { TillEvent } from '../../contract';
import type { Db } from '../db';
import type { PaymentCodeProvider, PaymentTiming } from '../payment';
import type { PricingMember } from '../pricing';

export interface CoreContext {
  db: Db;
  clock: () => Date;
  logger: pino.Logger;
  terminalId: string;
  storeId: string;
  events: EventEmitter;
  paymentProvider: PaymentCodeProvider;
  /** scrypt cost for new PIN hashes (stored with each hash, so verification follows the row). */
  pinScryptN: number;
  emit(event: TillEvent): void;
  nowIso(): string;
  /** Durations of critical steps (e.g. 'checkout_commit_ms'), for metrics and the benchmark. */
  timing?: (name: string, ms: number) => void;
  /**
   * Called right after a sale's transaction commits, before the sale is announced (and so
   * before a receipt can print): the sale journal records the number here (db/sale-journal.ts).
   */
  saleCommitted?: (saleId: string) => void;
  /**
   * The member on a cart, for member prices and member-only promotions. The members module binds
   * it (cart.setMember); without it every cart prices as a walk-in customer.
   */
  cartMember?: (cartId: string) => PricingMember | null;
  /** Poll/deadline/offline timings of the payment-code pending flow (tests shorten them). */
  paymentTiming?: Partial<PaymentTiming>;
}
