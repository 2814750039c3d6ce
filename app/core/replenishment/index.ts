// Replenishment: suggested orders from the forecast, purchase orders, weather forecasts.
export {
  suggestReplenishment,
  submitPurchaseOrder,
  listPurchaseOrders,
  setWeatherForecast,
  recordPurchaseOrderReceipt,
  mirrorPurchaseOrder,
} from './replenishment';
export { seedReplenishmentDemo } from './demo-history';
export { listReplenishmentItems, setReplenishmentItem } from './item-parameters';
