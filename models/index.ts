// Vision models for the edge agent: converted ONNX models (CenterNet person detection,
// BlazeFace, FaceRes, anti-spoof, liveness) and the worker-pool runtime that runs them.
// Build the models with `npm run models`; see docs/models.md.
export { createPersonDetector, onnxDetectorConfigSchema, BUILT_IN_DETECTORS } from './runtime/person-detector';
export type {
  PersonDetector,
  PersonDetectorOptions,
  OnnxDetectorConfig,
  BuiltInDetector,
} from './runtime/person-detector';
export type { Detection, Box } from './runtime/detection';
export { boxInsideShare, boxIou, nonMaxSuppression } from './runtime/detection';
export { decodeImage, decodeImageFile, cropFrame, validateFrame } from './runtime/preprocess';
export type { RgbFrame } from './runtime/preprocess';
export { SessionPool } from './runtime/session-pool';
export type { SessionPoolOptions } from './runtime/session-pool';
export { ModelError } from './runtime/model-error';
export type { ModelErrorCode } from './runtime/model-error';
export { readManifest, manifestEntry, loadVerifiedModel, MODELS_DIR } from './runtime/model-files';
export type { Manifest, ManifestEntry } from './runtime/manifest-schema';
export { COCO_LABELS } from './runtime/coco-labels';
export { createFaceAnalyzer, l2Normalize } from './runtime/face-analyzer';
export type {
  FaceAnalyzer,
  FaceAnalyzerOptions,
  FaceDetection,
  FaceDescription,
  FaceModelName,
} from './runtime/face-analyzer';
