// Stock movement ledger (append-only) and stock levels.
export { addStockMovement, getStockView } from './stock-ledger';
export type { StockMovementKind, StockMovementInput } from './stock-ledger';
