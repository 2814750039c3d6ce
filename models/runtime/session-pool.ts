// A pool of worker threads, each holding onnxruntime-node CPU sessions for the loaded models.
// Jobs queue on the main thread and go to the first idle worker, so inference never blocks the
// event loop. A job that fails (bad input, runtime error) rejects with a ModelError and the
// worker keeps serving; a worker that dies is replaced and its models are reloaded.
import { Worker } from 'node:worker_threads';
import { ModelError } from './model-error';

export interface SessionPoolOptions {
  /** Worker threads, each able to run one inference at a time. Default 1. */
  poolSize?: number;
  /** intra-op threads per session. Default 1. */
  threads?: number;
}

export interface ModelInput {
  /** Packed RGB bytes, row-major, width*height*3. */
  pixels: Uint8Array;
  width: number;
  height: number;
  /** model value = byte * scale + offset */
  scale: number;
  offset: number;
  layout: 'NCHW' | 'NHWC';
  inputName?: string;
  /** Only these outputs (onnxruntime then skips what only the others need). Default all. */
  outputs?: string[];
}

export interface OutputTensor {
  dims: number[];
  data: Float32Array;
}

interface Job {
  id: number;
  message: Record<string, unknown>;
  transfer: ArrayBuffer[];
  resolve: (v: Record<string, unknown>) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  busy: Job | undefined;
  /** Jobs only this worker may take (model loads); served before the shared queue. */
  own: Job[];
}

const WORKER_URL = new URL('./inference-worker.mjs', import.meta.url);

export class SessionPool {
  private readonly size: number;
  private readonly threads: number;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  /** How to get each loaded model's bytes again, for a replacement worker. */
  private readonly models = new Map<string, () => Uint8Array>();
  private nextId = 1;
  private closed = false;
  /** Replaced workers, for health reporting and tests. */
  restarts = 0;

  constructor(opts: SessionPoolOptions = {}) {
    this.size = Math.max(1, Math.floor(opts.poolSize ?? 1));
    this.threads = Math.max(1, Math.floor(opts.threads ?? 1));
    for (let i = 0; i < this.size; i++) this.slots.push(this.spawn());
  }

  get poolSize(): number {
    return this.size;
  }

  private spawn(): Slot {
    const worker = new Worker(WORKER_URL, { execArgv: [] });
    worker.unref();
    const slot: Slot = { worker, busy: undefined, own: [] };
    worker.on('message', (msg: { id: number; ok: boolean; error?: string } & Record<string, unknown>) => {
      const job = slot.busy;
      if (!job || job.id !== msg.id) return;
      slot.busy = undefined;
      // Idle workers must not keep the process alive; busy ones must (a pending detect()).
      worker.unref();
      if (msg.ok) job.resolve(msg);
      else
        job.reject(
          new ModelError('INFERENCE_FAILED', `Inference failed: ${msg.error ?? 'unknown error'}`, '模型推理失败'),
        );
      this.pump();
    });
    let dead = false;
    const onDeath = (err: unknown) => {
      if (dead) return;
      dead = true;
      const idx = this.slots.indexOf(slot);
      const lost = [...(slot.busy ? [slot.busy] : []), ...slot.own.splice(0)];
      slot.busy = undefined;
      const why = new ModelError(
        'INFERENCE_FAILED',
        `Inference worker stopped: ${String((err as Error)?.message ?? err)}`,
        '推理线程异常退出',
        { cause: err },
      );
      for (const job of lost) job.reject(why);
      if (this.closed || idx < 0) return;
      this.restarts++;
      const fresh = this.spawn();
      this.slots[idx] = fresh;
      // The replacement reloads every model before it takes shared jobs.
      for (const [key, read] of this.models) {
        let bytes: Uint8Array;
        try {
          bytes = read();
        } catch {
          continue; // e.g. the file no longer verifies: jobs for it fail as "not loaded"
        }
        void this.sendLoad(fresh, key, bytes).catch(() => undefined);
      }
      this.pump();
    };
    worker.on('error', onDeath);
    worker.on('exit', (code) => onDeath(new Error(`exit code ${code}`)));
    return slot;
  }

  /** Queues a job for one particular worker (loads, which every worker must get). */
  private sendTo(slot: Slot, message: Record<string, unknown>): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      slot.own.push({ id: this.nextId++, message, transfer: [], resolve, reject });
      this.pump();
    });
  }

  /** A load job carrying its own copy of the model, transferred: nothing stays behind in this thread. */
  private sendLoad(slot: Slot, key: string, bytes: Uint8Array): Promise<Record<string, unknown>> {
    const own = new Uint8Array(bytes);
    return new Promise((resolve, reject) => {
      slot.own.push({
        id: this.nextId++,
        message: { type: 'load', key, bytes: own, threads: this.threads },
        transfer: [own.buffer],
        resolve,
        reject,
      });
      this.pump();
    });
  }

  /**
   * Loads (or replaces) a model in every worker. Given a function (that reads and verifies the
   * file), the pool keeps only the function for a replacement worker, not the model's bytes.
   */
  async load(key: string, source: Uint8Array | (() => Uint8Array)): Promise<void> {
    if (this.closed) throw poolClosed();
    const read = typeof source === 'function' ? source : () => source;
    this.models.set(key, read);
    try {
      const bytes = read();
      await Promise.all(this.slots.map((s) => this.sendLoad(s, key, bytes)));
    } catch (cause) {
      this.models.delete(key);
      throw new ModelError(
        'MODEL_LOAD_FAILED',
        `onnxruntime could not load model "${key}": ${(cause as Error).message}`,
        `模型 "${key}" 加载失败`,
        { cause },
      );
    }
  }

  /** Runs one inference on the next idle worker. */
  run(key: string, input: ModelInput): Promise<Record<string, OutputTensor>> {
    if (this.closed) return Promise.reject(poolClosed());
    if (!this.models.has(key))
      return Promise.reject(new ModelError('MODEL_UNKNOWN', `Model "${key}" is not loaded`, `模型 "${key}" 未加载`));
    return new Promise<Record<string, unknown>>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, message: { type: 'run', key, input }, transfer: [], resolve, reject });
      this.pump();
    }).then((msg) => msg.outputs as Record<string, OutputTensor>);
  }

  private pump(): void {
    if (this.closed) return;
    for (const slot of this.slots) {
      if (slot.busy) continue;
      const job = slot.own.shift() ?? this.queue.shift();
      if (!job) continue;
      slot.busy = job;
      slot.worker.ref();
      slot.worker.postMessage({ ...job.message, id: job.id }, job.transfer);
    }
  }

  /** Jobs waiting for a worker (not counting those running). */
  get pending(): number {
    return this.queue.length;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(poolClosed());
    for (const s of this.slots) {
      s.busy?.reject(poolClosed());
      for (const job of s.own.splice(0)) job.reject(poolClosed());
    }
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}

function poolClosed(): ModelError {
  return new ModelError('POOL_CLOSED', 'The model pool has been closed', '模型线程池已关闭');
}
