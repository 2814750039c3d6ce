// edge-agent/testing: generated door videos with ground truth (tests and the footfall bench).
export { writeDoorSet, lineArg } from './door-set';
export type { DoorClip } from './door-set';
export { DOOR } from './door-video';
export type { Scenario, Walker, Keyframe, VideoSpec } from './door-video';
export { countClip, countAccuracy } from './run-door-set';
export type { ClipResult } from './run-door-set';
export type { Sprite } from './person-sprites';
