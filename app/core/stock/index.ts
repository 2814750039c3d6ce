// Stock movement ledger (append-only), stock levels, and the manager's stock work (receiving,
// waste, stocktakes).
export { addStockMovement, getStockView } from './stock-ledger';
export type { StockMovementKind, StockMovementInput } from './stock-ledger';
export { receiveStock, recordWaste } from './stock-work';
export {
  startStocktake,
  listStocktakes,
  stocktakeSheet,
  countStocktake,
  stocktakeVariance,
  postStocktake,
} from './stocktake';
export { receivingNote } from './receiving-note';
export { importTransfer, listTransfers, receiveTransfer, requestTransfer, shipTransfer } from './transfers';
export { stockNearby } from './stock-nearby';
