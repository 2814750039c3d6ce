// Builds the person detector from the agent's detector config (models registry: centernet,
// centernet-384, movenet-multipose, or any ONNX detector such as a YOLO export, passed through as-is).
import { createPersonDetector, type PersonDetector } from '../models';
import type { DetectorConfig } from './pipeline';

export function createDetectorFromConfig(cfg: DetectorConfig): Promise<PersonDetector> {
  return createPersonDetector({
    model: cfg.model,
    threads: cfg.threads,
    poolSize: cfg.poolSize,
    scoreThreshold: cfg.scoreThreshold,
    iouThreshold: cfg.nmsIou,
    maxDetections: cfg.maxDetections,
  });
}
