// The person detector the edge agent uses: CenterNet or MoveNet MultiPose (converted here) or any
// ONNX detector described by an OnnxDetectorConfig. detect() takes a raw RGB frame and returns boxes in frame
// pixels; preprocessing runs in sharp, inference in the worker pool, decoding here.
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { COCO_LABELS } from './coco-labels';
import { decodeCenternet } from './decode-centernet';
import { decodeMovenetBoxes } from './decode-movenet';
import { DETECTOR_OUTPUT_FORMATS, decodeDetectorOutput } from './decode-yolo';
import { nonMaxSuppression, toFrameBox, type Detection, type RawDetection } from './detection';
import { ModelError } from './model-error';
import { loadVerifiedModel, readVerified, MODELS_DIR } from './model-files';
import { decodeImage, decodeImageFile, prepareFrame, type RgbFrame, type ResizeSpec } from './preprocess';
import { SessionPool, type OutputTensor } from './session-pool';

export const onnxDetectorConfigSchema = z.object({
  /** Path to the .onnx file (relative paths are taken from the process cwd). */
  path: z.string().min(1),
  /** Required: the file is refused unless it hashes to this. */
  sha256: z.string().regex(/^[0-9a-fA-F]{64}$/),
  inputName: z.string().optional(),
  input: z.object({
    width: z.number().int().positive(),
    height: z.number().int().positive(),
    resize: z.enum(['letterbox', 'stretch']).default('letterbox'),
    layout: z.enum(['NCHW', 'NHWC']).default('NCHW'),
    /** model value = byte * scale + offset; Ultralytics exports want 1/255, 0. */
    scale: z.number().default(1 / 255),
    offset: z.number().default(0),
    padValue: z.number().int().min(0).max(255).default(114),
  }),
  output: z.object({
    name: z.string().optional(),
    format: z.enum(DETECTOR_OUTPUT_FORMATS),
    numClasses: z.number().int().positive(),
    labels: z.array(z.string()).optional(),
  }),
  /** Class ids that count as a person. Default [0] (COCO). */
  personClasses: z.array(z.number().int().min(0)).default([0]),
});

export type OnnxDetectorConfig = z.input<typeof onnxDetectorConfigSchema>;

/** The person detectors `npm run models` builds. */
export const BUILT_IN_DETECTORS = ['centernet', 'centernet-384', 'movenet-multipose'] as const;
export type BuiltInDetector = (typeof BUILT_IN_DETECTORS)[number];

export interface PersonDetectorOptions {
  /**
   * 'centernet' (512×512, default), 'centernet-384' (faster, less reach), 'movenet-multipose'
   * (people by their keypoints, 448×256) or your own ONNX detector.
   */
  model?: BuiltInDetector | OnnxDetectorConfig;
  /** intra-op threads per inference. Default 2. */
  threads?: number;
  /** Concurrent inferences (worker threads). Default 1. */
  poolSize?: number;
  /** Default 0.3. */
  scoreThreshold?: number;
  /** Default 0.5. */
  iouThreshold?: number;
  /** Default 50. */
  maxDetections?: number;
  /** 'person' (default) returns only person classes; 'all' returns every class. */
  classes?: 'person' | 'all';
  /** Directory holding manifest.json and build/ (tests). */
  modelsDir?: string;
}

export interface PersonDetector {
  /** Boxes in frame pixels, best first, after NMS. */
  detect(frame: RgbFrame): Promise<Detection[]>;
  /** Same, for encoded image bytes (JPEG/PNG/WebP). */
  detectImage(bytes: Uint8Array): Promise<Detection[]>;
  /** Same, for an image file on disk. */
  detectImageFile(path: string): Promise<Detection[]>;
  readonly modelName: string;
  readonly pool: SessionPool;
  close(): Promise<void>;
}

interface DetectorPlan {
  key: string;
  /** Reads and verifies the model file (again for a replacement worker: the bytes are not kept). */
  bytes: () => Uint8Array;
  spec: ResizeSpec;
  scale: number;
  offset: number;
  layout: 'NCHW' | 'NHWC';
  inputName: string | undefined;
  /** Only these model outputs are computed and returned (default all). */
  outputs?: string[];
  labels: readonly string[];
  personClasses: readonly number[];
  decode(
    outputs: Record<string, OutputTensor>,
    scoreThreshold: number,
    classes: readonly number[] | undefined,
  ): RawDetection[];
}

/** The bytes read at start once, then read (and verified) again each time: nothing keeps them. */
function oneShot(first: Uint8Array, again: () => Uint8Array): () => Uint8Array {
  let held: Uint8Array | undefined = first;
  return () => {
    const b = held ?? again();
    held = undefined;
    return b;
  };
}

function centernetPlan(name: 'centernet' | 'centernet-384', modelsDir: string): DetectorPlan {
  const { entry, bytes } = loadVerifiedModel(name, modelsDir);
  const p = entry.preprocessing;
  return {
    key: `${name}@${entry.sha256.slice(0, 16)}`,
    bytes: oneShot(bytes, () => loadVerifiedModel(name, modelsDir).bytes),
    spec: { width: p.width, height: p.height, resize: p.resize },
    scale: p.scale,
    offset: p.offset,
    layout: 'NCHW',
    inputName: entry.inputs[0]?.name,
    labels: COCO_LABELS,
    personClasses: [0],
    decode(outputs, scoreThreshold, classes) {
      const hm = outputs.heatmap;
      const wh = outputs.wh;
      if (!hm || !wh) throw new ModelError('INFERENCE_FAILED', 'centernet returned no heatmap/wh', '模型输出缺失');
      const [, c = 0, h = 0, w = 0] = hm.dims;
      return decodeCenternet(hm.data, wh.data, c, h, w, { scoreThreshold, classes, topK: 100, stride: p.height / h });
    },
  };
}

function movenetPlan(modelsDir: string): DetectorPlan {
  const { entry, bytes } = loadVerifiedModel('movenet-multipose', modelsDir);
  const p = entry.preprocessing;
  return {
    key: `movenet-multipose@${entry.sha256.slice(0, 16)}`,
    bytes: oneShot(bytes, () => loadVerifiedModel('movenet-multipose', modelsDir).bytes),
    spec: { width: p.width, height: p.height, resize: p.resize },
    scale: p.scale,
    offset: p.offset,
    layout: 'NCHW',
    inputName: entry.inputs[0]?.name,
    // Boxes only: the keypoint heads are not computed (~10 % of the inference's CPU).
    outputs: ['center', 'box_scale', 'box_offset'],
    labels: ['person'],
    personClasses: [0],
    decode(outputs, scoreThreshold) {
      const data = (name: string) => {
        const t = outputs[name];
        if (!t) throw new ModelError('INFERENCE_FAILED', `movenet returned no ${name}`, '模型输出缺失');
        return t.data;
      };
      const [, , h = 0, w = 0] = outputs.center?.dims ?? [];
      // Boxes only: the counter anchors on the box (keypoints measured no better on the evaluation).
      return decodeMovenetBoxes(data('center'), data('box_scale'), data('box_offset'), h, w, {
        scoreThreshold,
        stride: p.height / h,
      });
    },
  };
}

function onnxPlan(raw: OnnxDetectorConfig): DetectorPlan {
  const parsed = onnxDetectorConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ModelError(
      'DETECTOR_CONFIG_INVALID',
      `Detector config invalid at ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? ''}`,
      '检测模型配置无效',
    );
  }
  const cfg = parsed.data;
  const path = isAbsolute(cfg.path) ? cfg.path : resolve(cfg.path);
  return {
    key: `onnx@${cfg.sha256.slice(0, 16).toLowerCase()}`,
    bytes: oneShot(readVerified(path, cfg.sha256, path), () => readVerified(path, cfg.sha256, path)),
    spec: { width: cfg.input.width, height: cfg.input.height, resize: cfg.input.resize, padValue: cfg.input.padValue },
    scale: cfg.input.scale,
    offset: cfg.input.offset,
    layout: cfg.input.layout,
    inputName: cfg.inputName,
    labels: cfg.output.labels ?? (cfg.output.numClasses === 80 ? COCO_LABELS : []),
    personClasses: cfg.personClasses,
    decode(outputs, scoreThreshold, classes) {
      const out = cfg.output.name ? outputs[cfg.output.name] : Object.values(outputs)[0];
      if (!out)
        throw new ModelError('INFERENCE_FAILED', `detector has no output ${cfg.output.name ?? ''}`, '模型输出缺失');
      try {
        return decodeDetectorOutput(cfg.output.format, out.data, out.dims, {
          numClasses: cfg.output.numClasses,
          scoreThreshold,
          classes,
        });
      } catch (cause) {
        throw new ModelError(
          'DETECTOR_CONFIG_INVALID',
          `Detector output does not match format ${cfg.output.format}: ${(cause as Error).message}`,
          '检测模型输出格式与配置不符',
          { cause },
        );
      }
    },
  };
}

const detectorOptionsSchema = z.object({
  threads: z.number().int().min(1).max(64).optional(),
  poolSize: z.number().int().min(1).max(32).optional(),
  scoreThreshold: z.number().min(0).max(1).optional(),
  iouThreshold: z.number().min(0).max(1).optional(),
  maxDetections: z.number().int().min(1).max(1000).optional(),
  classes: z.enum(['person', 'all']).optional(),
});

export async function createPersonDetector(opts: PersonDetectorOptions = {}): Promise<PersonDetector> {
  const checked = detectorOptionsSchema.safeParse(opts);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new ModelError(
      'DETECTOR_CONFIG_INVALID',
      `Detector option ${issue?.path.join('.') ?? '?'} is invalid: ${issue?.message ?? ''}`,
      '检测器参数无效',
    );
  }
  const model = opts.model ?? 'centernet';
  const dir = opts.modelsDir ?? MODELS_DIR;
  const plan =
    typeof model !== 'string'
      ? onnxPlan(model)
      : model === 'movenet-multipose'
        ? movenetPlan(dir)
        : centernetPlan(model, dir);
  const pool = new SessionPool({ threads: opts.threads ?? 2, poolSize: opts.poolSize ?? 1 });
  try {
    await pool.load(plan.key, plan.bytes);
  } catch (e) {
    await pool.close();
    throw e;
  }
  const scoreThreshold = opts.scoreThreshold ?? 0.3;
  const iouThreshold = opts.iouThreshold ?? 0.5;
  const maxDetections = opts.maxDetections ?? 50;
  const classes = opts.classes === 'all' ? undefined : plan.personClasses;

  const detect = async (frame: RgbFrame): Promise<Detection[]> => {
    const input = await prepareFrame(frame, plan.spec);
    const outputs = await pool.run(plan.key, {
      pixels: input.pixels,
      width: input.width,
      height: input.height,
      scale: plan.scale,
      offset: plan.offset,
      layout: plan.layout,
      inputName: plan.inputName,
      outputs: plan.outputs,
    });
    const raw = plan.decode(outputs, scoreThreshold, classes);
    return nonMaxSuppression(raw, iouThreshold, maxDetections).map((d) => ({
      box: toFrameBox(d, input.transform),
      score: d.score,
      classId: d.classId,
      label: plan.labels[d.classId] ?? `class ${d.classId}`,
    }));
  };

  return {
    detect,
    detectImage: async (bytes) => detect(await decodeImage(bytes)),
    detectImageFile: async (path) => detect(await decodeImageFile(path)),
    modelName: plan.key,
    pool,
    close: () => pool.close(),
  };
}
