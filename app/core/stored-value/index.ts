// Stored value (储值) and points redemption: top-ups with bonus tiers, the stored-value ledger
// (principal and bonus apart), the `stored_value` and `points` tenders of a sale and their
// refunds, the offline cap, and the back office's liability and flagged balances.
export {
  applyStoredValueOps,
  balanceView,
  commitLoyaltyTenders,
  endLoyaltyHolds,
  holdLoyaltyTenders,
  loyaltyRecord,
  markMemberPresent,
  planLoyaltyTenders,
  refundLoyaltyTenders,
  storedValueReport,
  topUp,
} from './stored-value-service';
export type { LoyaltyPlan } from './stored-value-service';
export { bindLoyaltyHub } from './hub-holds';
export type { LoyaltyHubLink } from './hub-holds';
