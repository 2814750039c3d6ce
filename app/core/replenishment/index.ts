// Replenishment: suggested orders from the forecast, purchase orders, weather forecasts.
export { suggestReplenishment, submitPurchaseOrder, listPurchaseOrders, setWeatherForecast } from './replenishment';
export { seedReplenishmentDemo } from './demo-history';
