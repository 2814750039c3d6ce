// edge-agent/footfall: interval facts, the agent's SQLite and conversion (transactions ÷ entries).
export { AgentStore } from './agent-store';
export type { CrossingRow, IntervalRow } from './agent-store';
export { FootfallRecorder } from './footfall-recorder';
export type { FootfallPublisher, FootfallRecorderOptions } from './footfall-recorder';
export { conversionForDate } from './conversion';
export type { DayConversion, HourConversion, SaleTimesReader } from './conversion';
export { intervalStart, localHour, localDayStart, conversionRate, PERIOD_MS } from './intervals';
export type { Period } from './intervals';
