// The model runtime in a plain `npx tsx` process (how the edge agent runs), not only under
// vitest: the inference worker must start and answer there too.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

describe('models under npx tsx', () => {
  it('detects the people in a sample photo from a tsx process', () => {
    const image = join(root, 'node_modules/@vladmandic/face-api/demo/sample1.jpg');
    const r = spawnSync('npx', ['tsx', 'models/detect-image.ts', image], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { detections: { label: string }[] };
    expect(out.detections.map((d) => d.label)).toEqual(['person', 'person', 'person']);
  });

  it('exits non-zero with a readable error for a corrupt image', () => {
    const r = spawnSync('npx', ['tsx', 'models/detect-image.ts', join(root, 'package.json')], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('IMAGE_DECODE_FAILED');
  });
});
