// The worker pool on its own: a bad job fails alone, a dead worker is replaced with its models
// reloaded, and closing rejects whatever is still queued.
import { afterEach, describe, expect, it } from 'vitest';
import { SessionPool } from './session-pool';
import { ModelError } from './model-error';
import { buildTinyYoloV8 } from '../testing';

const model = buildTinyYoloV8(16, 1, [{ cx: 8, cy: 8, w: 4, h: 4, scores: [0.7] }]);
const input = (size: number) => ({
  pixels: new Uint8Array(size * size * 3).fill(1),
  width: size,
  height: size,
  scale: 1 / 255,
  offset: 0,
  layout: 'NCHW' as const,
});

describe('SessionPool', () => {
  let pool: SessionPool | undefined;
  afterEach(async () => {
    await pool?.close();
    pool = undefined;
  });

  it('runs a model and returns its outputs', async () => {
    pool = new SessionPool({ poolSize: 2, threads: 1 });
    await pool.load('tiny', model);
    const results = await Promise.all([1, 2, 3].map(() => pool!.run('tiny', input(16))));
    for (const out of results) {
      expect(out.output0?.dims).toEqual([1, 5, 1]);
      expect(out.output0?.data[4]).toBeCloseTo(0.7, 6);
    }
  });

  it('fails a wrong-shaped job with INFERENCE_FAILED and keeps serving', async () => {
    pool = new SessionPool({ poolSize: 1 });
    await pool.load('tiny', model);
    const err = await pool.run('tiny', input(8)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect((err as ModelError).code).toBe('INFERENCE_FAILED');
    const bad = await pool.run('tiny', { ...input(16), pixels: new Uint8Array(5) }).catch((e: unknown) => e);
    expect((bad as ModelError).code).toBe('INFERENCE_FAILED');
    expect((await pool.run('tiny', input(16))).output0?.dims).toEqual([1, 5, 1]);
  });

  it('rejects a model that is not ONNX', async () => {
    pool = new SessionPool();
    const err = await pool.load('junk', new TextEncoder().encode('not a model')).catch((e: unknown) => e);
    expect((err as ModelError).code).toBe('MODEL_LOAD_FAILED');
    expect(((await pool.run('junk', input(16)).catch((e: unknown) => e)) as ModelError).code).toBe('MODEL_UNKNOWN');
  });

  it('replaces a worker that dies and reloads its models', async () => {
    pool = new SessionPool({ poolSize: 1 });
    await pool.load('tiny', model);
    const slots = (pool as unknown as { slots: { worker: { terminate(): Promise<number> } }[] }).slots;
    await slots[0]!.worker.terminate();
    await new Promise((r) => setTimeout(r, 50));
    expect(pool.restarts).toBe(1);
    expect((await pool.run('tiny', input(16))).output0?.dims).toEqual([1, 5, 1]);
  });

  it('rejects queued and new jobs once closed', async () => {
    pool = new SessionPool({ poolSize: 1 });
    await pool.load('tiny', model);
    const jobs = [1, 2, 3].map(() =>
      pool!.run('tiny', input(16)).then(
        () => 'ok',
        (e: ModelError) => e.code,
      ),
    );
    await pool.close();
    const codes = await Promise.all(jobs);
    expect(codes.filter((c) => c === 'POOL_CLOSED').length).toBeGreaterThanOrEqual(2);
    expect(((await pool.run('tiny', input(16)).catch((e: unknown) => e)) as ModelError).code).toBe('POOL_CLOSED');
  });
});
