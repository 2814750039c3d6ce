// Conversion is reproducible: rebuilding every model from the installed package gives exactly
// the files (sha256) and metadata recorded in the committed models/manifest.json.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOG, buildModel, manifestOf, sourcePackage, vendoredSource } from './build-models';
import { decodeOnnxModel } from './onnx-graph-builder';
import { manifestSchema } from '../runtime/manifest-schema';

const committed = manifestSchema.parse(
  JSON.parse(readFileSync(join(import.meta.dirname, '..', 'manifest.json'), 'utf8')),
);

describe('npm run models', () => {
  const src = sourcePackage();
  const built = CATALOG.map((c) => buildModel(c, src));

  it('rebuilds every model to the sha256 in the committed manifest', () => {
    expect(built.map((b) => b.entry.name)).toEqual(committed.models.map((m) => m.name));
    for (const b of built) {
      const m = committed.models.find((e) => e.name === b.entry.name);
      expect(b.entry.sha256, b.entry.name).toBe(m?.sha256);
    }
    expect(manifestOf(built.map((b) => b.entry))).toEqual(committed);
  });

  it('is deterministic within one process too', () => {
    const again = buildModel(CATALOG[1]!, src);
    expect(Buffer.from(again.bytes).equals(Buffer.from(built[1]!.bytes))).toBe(true);
  });

  it('records licence and source as the package states them', () => {
    const pkg = JSON.parse(readFileSync(join(src.dir, 'package.json'), 'utf8')) as { version: string; license: string };
    for (const m of committed.models) {
      const c = CATALOG.find((e) => e.name === m.name);
      if (c?.vendored) {
        // Vendored files: buildModel already refused them unless they hash to source.json.
        const v = vendoredSource(c.vendored);
        expect([m.source.package, m.source.packageVersion, m.source.license]).toEqual([
          v.package,
          v.packageVersion,
          v.license,
        ]);
        continue;
      }
      expect(m.source.package).toBe('@vladmandic/human');
      expect(m.source.packageVersion).toBe(pkg.version);
      expect(m.source.license).toBe(pkg.license);
    }
  });

  it('writes a plain opset-17 ModelProto whose graph interface matches the manifest', () => {
    const centernet = built[0]!;
    const model = decodeOnnxModel(centernet.bytes) as {
      irVersion: number;
      opsetImport: { version: number }[];
      graph: { input: { name: string }[]; output: { name: string }[]; node: { opType: string }[] };
      metadataProps: { key: string; value: string }[];
    };
    expect(model.opsetImport[0]?.version).toBe(17);
    expect(model.graph.input.map((i) => i.name)).toEqual(['image']);
    expect(model.graph.output.map((o) => o.name)).toEqual(['heatmap', 'wh']);
    // Cut before the in-graph decode: no TopK/Gather survive.
    const ops = new Set(model.graph.node.map((n) => n.opType));
    expect(ops.has('TopK')).toBe(false);
    expect(model.metadataProps.find((p) => p.key === 'license')?.value).toBe('MIT');
  });
});
