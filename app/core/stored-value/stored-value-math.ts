// Stored-value arithmetic (pure, integer fen): the bonus a top-up earns (充200送50: the highest
// tier reached, once per top-up, never 每满), how a spend splits into principal and bonus (in
// proportion to what the member holds, bonus rounded down, so the paid principal is never
// under-counted in the liability), and how a refund of a spend gives both back in the spend's own
// proportion (the last refund settles the remainder, so a fully returned sale restores exactly
// what it took).
import type { StoredValueConfig } from '../../contract';

export function bonusFor(amount: number, rules: StoredValueConfig['bonusRules']): number {
  let best = 0;
  for (const r of rules) if (amount >= r.minTopUp && r.bonus > best) best = r.bonus;
  return best;
}

export interface Split {
  principal: number;
  bonus: number;
}

/** What a spend of `amount` takes from a balance of `held` (amount ≤ held.principal + held.bonus). */
export function splitSpend(amount: number, held: Split): Split {
  const total = held.principal + held.bonus;
  if (total <= 0 || held.bonus <= 0) return { principal: amount, bonus: 0 };
  if (held.principal <= 0) return { principal: 0, bonus: amount };
  const bonus = Math.min(held.bonus, Math.floor((amount * held.bonus) / total));
  return { principal: amount - bonus, bonus };
}

/**
 * The part of a spend a refund gives back. `spent` is what the sale took (positive), `back` what
 * earlier refunds of it already returned, `amount` this refund.
 */
export function splitRefund(amount: number, spent: Split, back: Split): Split {
  const leftBonus = spent.bonus - back.bonus;
  const leftPrincipal = spent.principal - back.principal;
  if (amount >= leftBonus + leftPrincipal) return { principal: leftPrincipal, bonus: leftBonus };
  const total = spent.principal + spent.bonus;
  const bonus = total > 0 ? Math.min(leftBonus, Math.floor((amount * spent.bonus) / total)) : 0;
  return { principal: amount - bonus, bonus };
}
