// Shape of models/manifest.json: what was generated from where, its sha256, and how to feed it.
// Shared by the build (which writes it) and the runtime (which trusts nothing it does not verify).
import { z } from 'zod';

const dim = z.union([z.number().int(), z.string()]);

export const tensorInfoSchema = z.object({
  name: z.string(),
  shape: z.array(dim),
  dtype: z.literal('float32'),
});

export const preprocessingSchema = z.object({
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  resize: z.enum(['stretch', 'letterbox']),
  channels: z.literal('RGB'),
  layout: z.enum(['NCHW', 'NHWC']),
  scale: z.number(),
  offset: z.number(),
});

export const manifestEntrySchema = z.object({
  name: z.string(),
  version: z.string(),
  task: z.string(),
  file: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().positive(),
  opset: z.number().int(),
  onnxOps: z.array(z.string()),
  source: z.object({
    package: z.string(),
    packageVersion: z.string(),
    file: z.string(),
    upstream: z.string(),
    license: z.string(),
  }),
  inputs: z.array(tensorInfoSchema),
  outputs: z.array(tensorInfoSchema),
  preprocessing: preprocessingSchema,
  notes: z.string(),
});

export const manifestSchema = z.object({
  generatedBy: z.string(),
  converterVersion: z.string(),
  models: z.array(manifestEntrySchema),
});

export type ManifestEntry = z.infer<typeof manifestEntrySchema>;
export type Manifest = z.infer<typeof manifestSchema>;
export type PreprocessingSpec = z.infer<typeof preprocessingSchema>;
