// The rules a frame must pass before it is compared with anyone, and the calibrated match
// threshold. Pure. How the numbers were chosen: docs/members-face.md ("Calibration"); the
// calibration script is test/face/face-calibration.ts and its held-out check runs in
// test/face/face-calibration.test.ts.

/** What the embedder reports for one frame (app/till runs the ONNX models). */
export interface FaceAnalysis {
  /** Faces the detector found, at least MIN_FACE_PX wide, best first. */
  faces: { box: { x: number; y: number; width: number; height: number }; score: number }[];
  /** Only when exactly one face was found: its anti-spoof and liveness scores and its template. */
  face?: { antispoof: number; liveness: number; embedding: Float32Array };
  /** Template model name, stored with each template so a model change is detected. */
  model: string;
}

export interface FaceEmbedder {
  /** JPEG/PNG/WebP bytes → analysis. Rejects with PosError FACE_UNUSABLE (image) on bytes it cannot decode. */
  analyze(image: Uint8Array): Promise<FaceAnalysis>;
}

export type FaceRefusal = 'no-face' | 'several-faces' | 'spoof' | 'not-live';

/**
 * Cosine similarity (FaceRes, L2-normalised) at or above which a member is offered as a
 * candidate. Calibrated on the tuning split only (see docs/members-face.md).
 */
export const FACE_MATCH_THRESHOLD = 0.75;
/** Anti-spoof "real" score below which a frame is refused (human's antispoof head). */
export const FACE_ANTISPOOF_MIN = 0.3;
/** Liveness "live" score below which a frame is refused. */
export const FACE_LIVENESS_MIN = 0.3;
/** Detections narrower than this (frame pixels) are people in the background, not the customer. */
export const MIN_FACE_PX = 60;
/** The cashier chooses among at most this many. */
export const MAX_FACE_CANDIDATES = 3;

export function judgeFrame(
  a: FaceAnalysis,
): { ok: true; embedding: Float32Array } | { ok: false; reason: FaceRefusal } {
  if (a.faces.length === 0) return { ok: false, reason: 'no-face' };
  if (a.faces.length > 1 || !a.face) return { ok: false, reason: 'several-faces' };
  if (a.face.antispoof < FACE_ANTISPOOF_MIN) return { ok: false, reason: 'spoof' };
  if (a.face.liveness < FACE_LIVENESS_MIN) return { ok: false, reason: 'not-live' };
  return { ok: true, embedding: a.face.embedding };
}
