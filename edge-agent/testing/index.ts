// edge-agent/testing: generated door videos with ground truth (tests and the footfall bench).
export { writeDoorSet, lineArg } from './door-set';
export type { DoorClip } from './door-set';
export { DOOR } from './door-video';
export type { Scenario, Walker, Keyframe, VideoSpec } from './door-video';
export { countClip, countAccuracy } from './run-door-set';
export type { ClipResult } from './run-door-set';
export type { Sprite } from './person-sprites';
// the footfall evaluation (issue 18): generator with a fixed tuning / held-out split, runner, scoring
export { loadEvalPeople, priorMatte, personFromMask, EVAL_CUTS, PEOPLE_SPLIT } from './eval-people';
export type { MattedPerson } from './eval-people';
export { evalSplit, trueCrossings, EVAL_CLIPS, FAMILIES } from './eval-set';
export type { EvalClip, EvalWalker, Family, Split } from './eval-set';
export {
  ensureClipVideo,
  createRecordingDetector,
  runEvalClip,
  replayEvalClip,
  saveRecording,
  loadRecording,
  score,
  scoreByFamily,
} from './eval-run';
export type { EvalResult, RecordedFrame, Score } from './eval-run';
export { resultLine } from './eval-log';
export { walkerViews, viewsAtLine, scoreSeen, detectorRecall } from './eval-visibility';
export type { SeenScore, WalkerFrame } from './eval-visibility';
