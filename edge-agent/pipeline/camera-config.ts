// A camera's configuration (from the EDGE_CONFIG file or PUT /cameras), validated with zod.
import { z } from 'zod';
import { BUILT_IN_DETECTORS, onnxDetectorConfigSchema } from '../../models';
import { AgentError, checkCameraInput } from '../ingest';

const point = z.object({ x: z.number(), y: z.number() });
const alert = z
  .object({ high: z.number().int().min(1), low: z.number().int().min(0) })
  .refine((a) => a.low < a.high, 'alert low must be below high');

export const cameraConfigSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'camera id is 1-32 letters, digits, _ or -'),
  /**
   * rtsp:// or rtsps:// URL, /dev/videoN, or a video file. The scheme is checked here; that a
   * file lies in the media folder is checked by whoever knows the folder (service, FrameSource).
   */
  input: z
    .string()
    .min(1)
    .superRefine((input, ctx) => {
      try {
        checkCameraInput(input, { files: 'anywhere' });
      } catch (e) {
        ctx.addIssue({
          code: 'custom',
          message: e instanceof AgentError ? e.message : String(e),
          params: { agentCode: 'INPUT_NOT_ALLOWED' },
        });
      }
    }),
  fps: z.number().min(1).max(30).default(6),
  /** Scale frames to this width before anything else (line coordinates are in scaled pixels). */
  width: z.number().int().min(64).max(3840).optional(),
  line: z
    .object({ x1: z.number(), y1: z.number(), x2: z.number(), y2: z.number() })
    .refine((s) => s.x1 !== s.x2 || s.y1 !== s.y2, 'line end points must differ'),
  anchor: z.enum(['bottom', 'center', 'head']).default('bottom'),
  deadBand: z.number().min(0).default(8),
  confirmFrames: z.number().int().min(1).max(30).default(2),
  /** Door region: only this part of the frame goes to the detector. */
  roi: z
    .object({
      x: z.number().int().min(0),
      y: z.number().int().min(0),
      width: z.number().int().min(16),
      height: z.number().int().min(16),
    })
    .optional(),
  motionGate: z.boolean().default(true),
  rtspListen: z.boolean().default(false),
  /** Files only: play at real speed like a camera (default), or process every frame as fast as possible. */
  realtime: z.boolean().default(true),
  tracker: z
    .object({
      highScore: z.number().min(0).max(1).optional(),
      lowScore: z.number().min(0).max(1).optional(),
      newTrackScore: z.number().min(0).max(1).optional(),
      lowBirthScore: z.number().min(0).max(1).optional(),
      lowBirthHits: z.number().int().min(1).max(30).optional(),
      matchIou: z.number().min(0.01).max(1).optional(),
      lowMatchIou: z.number().min(0.01).max(1).optional(),
      maxCentreDistance: z.number().min(0).max(3).optional(),
      minHits: z.number().int().min(1).max(30).optional(),
      maxLost: z.number().int().min(0).max(300).optional(),
    })
    .default({}),
  zones: z
    .array(z.object({ name: z.string().min(1).max(40), polygon: z.array(point).min(3), alert: alert.optional() }))
    .default([]),
  enabled: z.boolean().default(true),
});

export type CameraConfig = z.output<typeof cameraConfigSchema>;
export type CameraConfigInput = z.input<typeof cameraConfigSchema>;

export const detectorConfigSchema = z.object({
  /**
   * MoveNet MultiPose by default: on the footfall evaluation it scores the people CenterNet-384
   * scores low (docs/footfall.md); it costs ~1.6× the CPU and ~30 MB more per worker.
   */
  model: z.union([z.enum(BUILT_IN_DETECTORS), onnxDetectorConfigSchema]).default('movenet-multipose'),
  /** Detector score floor (the tracker's low stage sees everything above it). */
  scoreThreshold: z.number().min(0.01).max(1).default(0.1),
  nmsIou: z.number().min(0.1).max(0.95).default(0.65),
  maxDetections: z.number().int().min(1).max(300).default(100),
  /** Intra-op threads per inference. 1 measured faster than 2 on a busy 2-core box. */
  threads: z.number().int().min(1).max(16).default(1),
  /** Inferences in parallel (worker threads): with two cameras, one per core. */
  poolSize: z.number().int().min(1).max(8).default(2),
  /**
   * Frames one camera may have waiting for the shared detector (beyond those running). A live
   * camera that is further behind loses its oldest waiting frame (counted as dropped).
   */
  queuePerCamera: z.number().int().min(1).max(30).default(2),
});

export type DetectorConfig = z.output<typeof detectorConfigSchema>;

export const storeIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'store id is 1-32 letters, digits, _ or -');

/** The EDGE_CONFIG file. No store by default: the service takes it from here, EDGE_STORE_ID or demo mode. */
export const agentConfigSchema = z.object({
  storeId: storeIdSchema.optional(),
  /** Store time zone offset (minutes east of UTC); China 480. */
  utcOffsetMinutes: z.number().int().min(-720).max(840).default(480),
  occupancyResetAt: z
    .string()
    .regex(/^\d{1,2}:\d{2}$/)
    .default('04:00'),
  /** Store occupancy alert: raised at high, cleared at low. */
  occupancyAlert: alert.optional(),
  detector: detectorConfigSchema.default({
    model: 'movenet-multipose',
    scoreThreshold: 0.1,
    nmsIou: 0.65,
    maxDetections: 100,
    threads: 1,
    poolSize: 2,
    queuePerCamera: 2,
  }),
  cameras: z.array(cameraConfigSchema).default([]),
});

export type AgentConfigFile = z.output<typeof agentConfigSchema>;
/** The agent's configuration once the store is known (see service/agent-settings.ts). */
export type AgentConfig = AgentConfigFile & { storeId: string };
