// Demand forecast and order suggestion for fresh food (pure: no I/O). See docs/replenishment.md.
export { addDays, dayInfo, daysBetween, DEFAULT_SCHOOL_HOLIDAYS, HOLIDAY_TABLES } from './calendar';
export type { DayInfo, Festival, SchoolHolidays } from './calendar';
export { FAMILIES, familyProfile, generateStoreHistory } from './synthetic-history';
export type { FamilyId, HistoryProduct, ProductHistory, StoreHistory } from './synthetic-history';
export {
  FEATURE_NAMES,
  fitRidge,
  holtWinters,
  METHOD_NAMES,
  predictRidge,
  recentLevel,
  ridgeEffects,
  seasonalNaive,
  signalLift,
  trainingRow,
} from './methods';
export type { MethodName, PastDay, RidgeModel, TargetDay, TrainingRow } from './methods';
export { criticalRatio, suggestOrder, DEFAULT_SERVICE_FLOOR } from './order-policy';
export type { ErrorProfile, OrderSuggestion } from './order-policy';
export { runBacktest } from './backtest';
export type { BacktestReport } from './backtest';
