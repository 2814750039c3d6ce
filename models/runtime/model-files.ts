// Finds a converted model through models/manifest.json and hands out its bytes only after the
// sha256 matches, so a tampered, truncated or stale file never reaches onnxruntime. The bytes
// verified are the bytes loaded (no second read between check and use).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModelError } from './model-error';
import { manifestSchema, type Manifest, type ManifestEntry } from './manifest-schema';

export const MODELS_DIR = join(import.meta.dirname, '..');

export function readManifest(modelsDir = MODELS_DIR): Manifest {
  const path = join(modelsDir, 'manifest.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new ModelError(
      'MANIFEST_INVALID',
      `Model manifest ${path} is missing or not JSON`,
      `模型清单 ${path} 缺失或格式错误`,
      { cause },
    );
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ModelError(
      'MANIFEST_INVALID',
      `Model manifest ${path} is invalid: ${parsed.error.issues[0]?.message ?? ''}`,
      `模型清单 ${path} 内容无效`,
    );
  }
  return parsed.data;
}

export function manifestEntry(name: string, modelsDir = MODELS_DIR): ManifestEntry {
  const entry = readManifest(modelsDir).models.find((m) => m.name === name);
  if (!entry)
    throw new ModelError(
      'MODEL_UNKNOWN',
      `No model called "${name}" in the manifest`,
      `清单中没有名为 "${name}" 的模型`,
    );
  return entry;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Reads a file and refuses it unless its sha256 is `expected`. */
export function readVerified(path: string, expected: string, label: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(path));
  } catch (cause) {
    throw new ModelError(
      'MODEL_MISSING',
      `Model file for "${label}" not found at ${path}; run \`npm run models\` to build it`,
      `模型 "${label}" 的文件 ${path} 不存在，请运行 npm run models 生成`,
      { cause },
    );
  }
  const actual = sha256Hex(bytes);
  if (actual !== expected.toLowerCase()) {
    throw new ModelError(
      'MODEL_TAMPERED',
      `Model file ${path} for "${label}" does not match its expected sha256 (got ${actual.slice(0, 12)}…, expected ${expected.slice(0, 12)}…); refusing to load it`,
      `模型文件 ${path} 校验值不符，已拒绝加载`,
    );
  }
  return bytes;
}

export function loadVerifiedModel(name: string, modelsDir = MODELS_DIR): { entry: ManifestEntry; bytes: Uint8Array } {
  const entry = manifestEntry(name, modelsDir);
  return { entry, bytes: readVerified(join(modelsDir, entry.file), entry.sha256, name) };
}
