// Inference worker: owns onnxruntime-node sessions and runs them off the main thread.
// Plain ESM JavaScript on purpose — it must start the same way under `tsx`, vitest and plain
// node, without depending on a TypeScript loader being registered inside worker threads.
// Messages (all answered with { id, ok, ... }):
//   { type: 'load', id, key, bytes: Uint8Array, threads }
//   { type: 'run', id, key, input: { pixels: Uint8Array (HWC RGB), width, height, scale, offset, layout, inputName } }
//   { type: 'unload', id, key }
import { parentPort } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';

/** @type {Map<string, import('onnxruntime-node').InferenceSession>} */
const sessions = new Map();

function toTensor(input) {
  const { pixels, width, height, scale, offset, layout } = input;
  const plane = width * height;
  if (!(pixels instanceof Uint8Array) || pixels.length !== plane * 3) {
    throw new Error(`input has ${pixels?.length ?? 0} bytes, expected ${plane * 3} for ${width}x${height} RGB`);
  }
  const data = new Float32Array(plane * 3);
  if (layout === 'NHWC') {
    for (let i = 0; i < data.length; i++) data[i] = pixels[i] * scale + offset;
    return new ort.Tensor('float32', data, [1, height, width, 3]);
  }
  for (let i = 0, p = 0; i < plane; i++, p += 3) {
    data[i] = pixels[p] * scale + offset;
    data[plane + i] = pixels[p + 1] * scale + offset;
    data[2 * plane + i] = pixels[p + 2] * scale + offset;
  }
  return new ort.Tensor('float32', data, [1, 3, height, width]);
}

async function handle(msg) {
  switch (msg.type) {
    case 'load': {
      const session = await ort.InferenceSession.create(msg.bytes, {
        executionProviders: ['cpu'],
        intraOpNumThreads: msg.threads,
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
        // The memory pattern pre-plans one block per run shape and keeps it besides the arena:
        // off, the arena reuses freed blocks. Measured with MoveNet, 2 sessions: 48 MB less RSS,
        // same speed (docs/bench.md, 2026-12-06).
        enableMemPattern: false,
      });
      sessions.get(msg.key)?.release();
      sessions.set(msg.key, session);
      return { inputNames: session.inputNames, outputNames: session.outputNames };
    }
    case 'run': {
      const session = sessions.get(msg.key);
      if (!session) throw new Error(`model ${msg.key} is not loaded in this worker`);
      const feed = { [msg.input.inputName ?? session.inputNames[0]]: toTensor(msg.input) };
      const results = msg.input.outputs ? await session.run(feed, msg.input.outputs) : await session.run(feed);
      const outputs = {};
      const transfer = new Set();
      for (const [name, t] of Object.entries(results)) {
        const data = t.data;
        outputs[name] = { dims: [...t.dims], data };
        if (data?.buffer instanceof ArrayBuffer) transfer.add(data.buffer);
      }
      return { outputs, transfer: [...transfer] };
    }
    case 'unload': {
      await sessions.get(msg.key)?.release();
      sessions.delete(msg.key);
      return {};
    }
    default:
      throw new Error(`unknown message type ${msg.type}`);
  }
}

parentPort.on('message', (msg) => {
  handle(msg).then(
    (res) => {
      const { transfer, ...rest } = res;
      parentPort.postMessage({ id: msg.id, ok: true, ...rest }, transfer ?? []);
    },
    (err) => parentPort.postMessage({ id: msg.id, ok: false, error: String(err?.message ?? err) }),
  );
});
