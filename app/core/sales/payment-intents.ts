// Journal of payment-code charges (see migration 0004). Every charge is written as
// 'charging' before the gateway is called, then 'approved'/'declined'/'unknown'; the sale's
// transaction marks its charges 'captured'; a reversal marks them 'reversed'. At start-up,
// charges left 'approved' without a sale (the process died between charge and commit) are
// refunded, and charges left 'charging' (outcome unknown) are flagged for a manager.
import { writeAudit } from '../audit';
import type { Db } from '../db';
import { uuidv7 } from '../ids';
import type { PaymentWallet } from '../payment';
import type { CoreContext } from '../context';

export type IntentStatus = 'charging' | 'approved' | 'declined' | 'captured' | 'reversed' | 'unknown';

export function beginIntent(db: Db, at: Date, saleId: string, wallet: PaymentWallet, amount: number): string {
  const id = uuidv7(at);
  db.prepare("INSERT INTO payment_intents (id, sale_id, wallet, amount, status, created_at, updated_at) VALUES (?, ?, ?, ?, 'charging', ?, ?)")
    .run(id, saleId, wallet, amount, at.toISOString(), at.toISOString());
  return id;
}

export function setIntent(db: Db, at: Date, id: string, status: IntentStatus, transactionId?: string | null): void {
  db.prepare('UPDATE payment_intents SET status = ?, transaction_id = COALESCE(?, transaction_id), updated_at = ? WHERE id = ?')
    .run(status, transactionId ?? null, at.toISOString(), id);
}

/** Inside the sale transaction. */
export function captureIntents(db: Db, at: Date, saleId: string): void {
  db.prepare("UPDATE payment_intents SET status = 'captured', updated_at = ? WHERE sale_id = ? AND status = 'approved'").run(at.toISOString(), saleId);
}

interface IntentRow { id: string; sale_id: string; wallet: PaymentWallet; amount: number; status: IntentStatus; transaction_id: string | null }

/** Intents a previous run left pending; read synchronously at start, before any new payment. */
export function pendingIntents(db: Db): IntentRow[] {
  return db.prepare("SELECT id, sale_id, wallet, amount, status, transaction_id FROM payment_intents WHERE status IN ('charging', 'approved') ORDER BY created_at").all() as IntentRow[];
}

/** Settles intents left over by a crash: reverse orphaned approvals, flag unknown outcomes. */
export async function recoverIntents(ctx: CoreContext, pending: IntentRow[]): Promise<{ reversed: number; unknown: number; captured: number }> {
  const out = { reversed: 0, unknown: 0, captured: 0 };
  for (const p of pending) {
    const saleExists = ctx.db.prepare('SELECT 1 FROM sales WHERE id = ?').get(p.sale_id) !== undefined;
    if (saleExists) {
      setIntent(ctx.db, ctx.clock(), p.id, 'captured');
      out.captured++;
      continue;
    }
    if (p.status === 'charging' || !p.transaction_id) {
      ctx.db.transaction(() => {
        setIntent(ctx.db, ctx.clock(), p.id, 'unknown');
        writeAudit(ctx.db, ctx.terminalId, ctx.clock(), { action: 'payment.unknown', detail: { saleId: p.sale_id, wallet: p.wallet, amount: p.amount, why: 'the till stopped while the gateway was charging; check the merchant portal' } });
      })();
      ctx.logger.warn({ saleId: p.sale_id, wallet: p.wallet, amount: p.amount }, 'payment-code charge with unknown outcome after restart');
      out.unknown++;
      continue;
    }
    try {
      const r = await ctx.paymentProvider.refund({ transactionId: p.transaction_id, amount: p.amount, refundId: uuidv7(ctx.clock()), saleId: p.sale_id, wallet: p.wallet });
      if (r.status !== 'approved') throw new Error(r.message ?? 'refund declined');
      ctx.db.transaction(() => {
        setIntent(ctx.db, ctx.clock(), p.id, 'reversed');
        writeAudit(ctx.db, ctx.terminalId, ctx.clock(), { action: 'payment.reversed', detail: { saleId: p.sale_id, transactionId: p.transaction_id, amount: p.amount, why: 'charged but no sale was recorded (till restarted)' } });
      })();
      out.reversed++;
    } catch (err) {
      // Stays 'approved': the next start tries again.
      ctx.logger.error({ err, saleId: p.sale_id }, 'could not reverse an orphaned payment-code charge');
    }
  }
  return out;
}
