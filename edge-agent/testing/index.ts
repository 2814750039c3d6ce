// edge-agent/testing: generated door videos with ground truth (tests and the footfall bench).
export { writeDoorSet, lineArg, SPRITE_HEIGHT } from './door-set';
export type { DoorClip } from './door-set';
export { DOOR, doorScenarios, expectedCounts, writeDoorVideo, renderFrame, drawBackground, walkerNet } from './door-video';
export type { Scenario, Walker, Keyframe, VideoSpec } from './door-video';
export { countClip, countAccuracy } from "./run-door-set";
export type { ClipResult } from "./run-door-set";
export { loadSprites } from './person-sprites';
export type { Sprite } from './person-sprites';
