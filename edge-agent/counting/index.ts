// edge-agent/counting: pure door-line counting, store occupancy and polygon zones.
export { LineCounter } from './line-counter';
export type { CrossingEvent, Direction, LineCounterOptions } from './line-counter';
export { parseLine, anchorPoint, signedDistance, crossingParameter, pointInPolygon, segmentSchema } from './geometry';
export type { Anchor, Point, Segment } from './geometry';
export { Occupancy, HysteresisAlarm } from './occupancy';
export type { OccupancyOptions, HysteresisAlarmOptions } from './occupancy';
export { Zone } from './zones';
export type { ZoneOptions, DwellRecord } from './zones';
