// The edge agent's person detector: finds people in real photos, keeps working after bad
// input, refuses tampered or missing models, and accepts a custom ONNX detector by config.
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPersonDetector, type PersonDetector } from './person-detector';
import { ModelError } from './model-error';
import { boxIou } from './detection';
import { decodeImage } from './preprocess';
import { sha256Hex, MODELS_DIR } from './model-files';
import { buildTinyYoloV8 } from '../testing';
import { samplePath } from '../testing';

async function expectCode(p: Promise<unknown>, code: string): Promise<ModelError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ModelError);
  expect((err as ModelError).code).toBe(code);
  return err as ModelError;
}

describe('createPersonDetector (movenet-multipose)', () => {
  it('finds the three people of sample1 as three boxes, from their centre peaks', async () => {
    const det = await createPersonDetector({ model: 'movenet-multipose', threads: 1 });
    try {
      const frame = await decodeImage(readFileSync(samplePath(1)));
      const found = (await det.detect(frame)).filter((d) => d.score >= 0.3);
      expect(found).toHaveLength(3);
      expect(det.modelName).toMatch(/^movenet-multipose@/);
      for (const d of found) {
        expect(d.label).toBe('person');
        expect(d.box.height).toBeGreaterThan(frame.height / 2);
        expect(d.box.x + d.box.width).toBeLessThanOrEqual(frame.width);
      }
      const centres = found.map((d) => d.box.x + d.box.width / 2).sort((a, b) => a - b);
      expect(centres[2]! - centres[0]!).toBeGreaterThan(frame.width / 3);
    } finally {
      await det.close();
    }
  });
});

describe('createPersonDetector (centernet)', () => {
  let det: PersonDetector;
  beforeAll(async () => {
    det = await createPersonDetector({ model: 'centernet', threads: 1, poolSize: 2 });
  });
  afterAll(async () => {
    await det?.close();
  });

  it('finds the three people in sample1 with boxes inside the frame', async () => {
    const frame = await decodeImage(readFileSync(samplePath(1)));
    const found = await det.detect(frame);
    expect(found.length).toBe(3);
    for (const d of found) {
      expect(d.label).toBe('person');
      expect(d.classId).toBe(0);
      expect(d.score).toBeGreaterThan(0.3);
      expect(d.box.x).toBeGreaterThanOrEqual(0);
      expect(d.box.y).toBeGreaterThanOrEqual(0);
      expect(d.box.x + d.box.width).toBeLessThanOrEqual(frame.width);
      expect(d.box.y + d.box.height).toBeLessThanOrEqual(frame.height);
      // People are tall: boxes span most of this group photo's height.
      expect(d.box.height).toBeGreaterThan(frame.height / 2);
    }
    // Three different people side by side: their centres are spread across the frame.
    const centres = found.map((d) => d.box.x + d.box.width / 2).sort((a, b) => a - b);
    expect(centres[2]! - centres[0]!).toBeGreaterThan(frame.width / 3);
  });

  it('finds at least one person in every other sample photo and runs jobs concurrently', async () => {
    const results = await Promise.all([2, 3, 4, 6].map(async (i) => det.detectImage(readFileSync(samplePath(i)))));
    for (const r of results) expect(r.filter((d) => d.label === 'person').length).toBeGreaterThanOrEqual(1);
  });

  it('leaves the event loop free while inference runs in the worker', async () => {
    const frame = await decodeImage(readFileSync(samplePath(3)));
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    await det.detect(frame);
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(0);
  });

  it('rejects bad input with a clear error and stays healthy', async () => {
    await expectCode(det.detectImage(new TextEncoder().encode('definitely not a jpeg')), 'IMAGE_DECODE_FAILED');
    const jpeg = readFileSync(samplePath(1));
    await expectCode(det.detectImage(jpeg.subarray(0, jpeg.length / 3)), 'IMAGE_DECODE_FAILED');
    await expectCode(det.detectImage(new Uint8Array(0)), 'IMAGE_DECODE_FAILED');
    await expectCode(det.detect({ data: new Uint8Array(0), width: 0, height: 0 }), 'FRAME_INVALID');
    const short = await expectCode(det.detect({ data: new Uint8Array(10), width: 100, height: 100 }), 'FRAME_INVALID');
    expect(short.message).toContain('30000');
    await expectCode(det.detect({ data: new Uint8Array(12), width: 2.5, height: 1 }), 'FRAME_INVALID');
    // Still works afterwards.
    expect((await det.detectImage(jpeg)).length).toBe(3);
  });

  it('reads image files and reports unreadable ones', async () => {
    expect((await det.detectImageFile(samplePath(1))).length).toBe(3);
    await expectCode(det.detectImageFile('/nonexistent/frame.jpg'), 'IMAGE_DECODE_FAILED');
  });

  it('rejects invalid options before starting workers', async () => {
    await expectCode(createPersonDetector({ threads: 0 }), 'DETECTOR_CONFIG_INVALID');
    await expectCode(createPersonDetector({ scoreThreshold: 2 }), 'DETECTOR_CONFIG_INVALID');
  });

  it('accepts RGBA frames', async () => {
    const frame = await decodeImage(readFileSync(samplePath(1)));
    const rgba = new Uint8Array(frame.width * frame.height * 4);
    for (let i = 0, j = 0; i < frame.data.length; i += 3, j += 4) {
      rgba[j] = frame.data[i]!;
      rgba[j + 1] = frame.data[i + 1]!;
      rgba[j + 2] = frame.data[i + 2]!;
      rgba[j + 3] = 255;
    }
    const found = await det.detect({ data: rgba, width: frame.width, height: frame.height, channels: 4 });
    expect(found.length).toBe(3);
  });
});

describe('centernet-384 (smaller input variant)', () => {
  it('finds the same three people as the 512 model in sample1', async () => {
    const small = await createPersonDetector({ model: 'centernet-384', threads: 1 });
    const full = await createPersonDetector({ model: 'centernet', threads: 1 });
    try {
      const frame = await decodeImage(readFileSync(samplePath(1)));
      const [a, b] = await Promise.all([full.detect(frame), small.detect(frame)]);
      expect(b).toHaveLength(3);
      for (const d of a) {
        const best = Math.max(...b.map((e) => boxIou(d.box, e.box)));
        expect(best).toBeGreaterThan(0.6);
      }
    } finally {
      await Promise.all([small.close(), full.close()]);
    }
  });
});

describe('model files', () => {
  const manifest = readFileSync(join(MODELS_DIR, 'manifest.json'));

  function fakeModelsDir(write: (dir: string) => void): string {
    const dir = mkdtempSync(join(tmpdir(), 'models-'));
    mkdirSync(join(dir, 'build'));
    writeFileSync(join(dir, 'manifest.json'), manifest);
    write(dir);
    return dir;
  }

  it('refuses a tampered model file', async () => {
    const dir = fakeModelsDir((d) => {
      copyFileSync(join(MODELS_DIR, 'build/centernet.onnx'), join(d, 'build/centernet.onnx'));
      const bytes = readFileSync(join(d, 'build/centernet.onnx'));
      bytes[bytes.length - 100] = (bytes[bytes.length - 100]! + 1) % 256;
      writeFileSync(join(d, 'build/centernet.onnx'), bytes);
    });
    const err = await expectCode(createPersonDetector({ modelsDir: dir }), 'MODEL_TAMPERED');
    expect(err.message).toContain('sha256');
  });

  it('refuses a missing model file and says how to build it', async () => {
    const dir = fakeModelsDir(() => undefined);
    const err = await expectCode(createPersonDetector({ modelsDir: dir }), 'MODEL_MISSING');
    expect(err.message).toContain('npm run models');
  });
});

describe('createPersonDetector (custom ONNX detector, yolov8 format)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tiny-yolo-'));
  const path = join(dir, 'tiny.onnx');
  const bytes = buildTinyYoloV8(64, 2, [
    { cx: 32, cy: 32, w: 20, h: 10, scores: [0.9, 0.1] }, // person
    { cx: 33, cy: 32, w: 20, h: 10, scores: [0.8, 0.1] }, // same person again: NMS drops it
    { cx: 10, cy: 30, w: 8, h: 8, scores: [0.05, 0.95] }, // class 1 (not a person)
    { cx: 50, cy: 30, w: 6, h: 6, scores: [0.1, 0.2] }, // below threshold
  ]);
  writeFileSync(path, bytes);
  const config = {
    path,
    sha256: sha256Hex(bytes),
    input: { width: 64, height: 64, resize: 'letterbox' as const },
    output: { format: 'yolov8' as const, numClasses: 2, labels: ['person', 'cart'] },
  };
  // 128×64 frame letterboxed into 64×64: scale 0.5, 16 px bars top and bottom.
  const frame = { data: new Uint8Array(128 * 64 * 3).fill(90), width: 128, height: 64 };

  it('decodes, suppresses duplicates and maps boxes back to frame pixels', async () => {
    const det = await createPersonDetector({ model: config, threads: 1 });
    try {
      const found = await det.detect(frame);
      expect(found).toHaveLength(1);
      const [p] = found;
      expect(p!.label).toBe('person');
      expect(p!.score).toBeCloseTo(0.9, 5);
      expect(p!.box.x).toBeCloseTo(44, 3);
      expect(p!.box.y).toBeCloseTo(22, 3);
      expect(p!.box.width).toBeCloseTo(40, 3);
      expect(p!.box.height).toBeCloseTo(20, 3);
    } finally {
      await det.close();
    }
  });

  it("returns every class with classes: 'all'", async () => {
    const det = await createPersonDetector({ model: config, threads: 1, classes: 'all' });
    try {
      const labels = (await det.detect(frame)).map((d) => d.label).sort();
      expect(labels).toEqual(['cart', 'person']);
    } finally {
      await det.close();
    }
  });

  it('rejects a config whose format does not match the model output', async () => {
    const det = await createPersonDetector({
      model: { ...config, output: { format: 'yolov5', numClasses: 2 } },
      threads: 1,
    });
    try {
      await expectCode(det.detect(frame), 'DETECTOR_CONFIG_INVALID');
    } finally {
      await det.close();
    }
  });

  it('rejects an invalid config and a wrong sha256', async () => {
    await expectCode(
      createPersonDetector({ model: { ...config, input: { width: -1, height: 64 } } }),
      'DETECTOR_CONFIG_INVALID',
    );
    await expectCode(createPersonDetector({ model: { ...config, sha256: '0'.repeat(64) } }), 'MODEL_TAMPERED');
  });
});
