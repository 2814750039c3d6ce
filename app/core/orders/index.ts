// Online orders at the till: pick queue, pick, ready, handover, group-leader pickup, papers.
export {
  acceptOrder,
  compensateLostHandovers,
  handoverByCode,
  leaderHandover,
  leaderOrders,
  listOrders,
  loadOrder,
  loadOrders,
  markReady,
  orderView,
  pickLine,
  pickupQrOf,
  scanPick,
  substituteLine,
} from './order-service';
export type { OrderDeps } from './order-service';
export { orderRefundNo, payOrderRefunds } from './order-refunds';
export type { RefundPass } from './order-refunds';
export { listOrderRefunds, markOrderRefundPaid, retryOrderRefund } from './order-refund-desk';
export { bagLabelPrintout, leaderManifestPrintout, pickListPrintout } from './order-printouts';
