// Layers are enforced, not only described: the table in test/architecture/layers.ts becomes
// dependency-cruiser rules, and an import that crosses a layer, skips a module's index.ts or pulls
// Electron / Node APIs where they do not belong fails here with the import, the rule and what to do.
// The fixture cases show each rule catches the kind of import it is for (they are the violations
// this check was written to remove), so a rule that silently matches nothing fails too.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AREAS } from './layers';
import {
  areasTable,
  describeViolations,
  docsWithTable,
  DOCS_FILE,
  findLayerViolations,
  findPrivateTableQueries,
  type LayerViolation,
} from './layer-rules';

describe('layers', () => {
  it('no import in the repo crosses a layer or reaches past a module index.ts', async () => {
    const violations = await findLayerViolations();
    expect(
      violations,
      `${violations.length} import(s) break the layer rules (test/architecture/layers.ts):\n\n${describeViolations(violations)}\n`,
    ).toEqual([]);
  });

  it("no code outside sync queries sync's tables (sync_ops, sync_meta) directly", () => {
    const found = findPrivateTableQueries();
    expect(
      found,
      found.map((f) => `  ${f.file} runs SQL on ${f.table}\n    what to do: ${f.advice}`).join('\n'),
    ).toEqual([]);
  });

  it('docs/architecture.md shows the table the rules are generated from', () => {
    const current = readFileSync(DOCS_FILE, 'utf8');
    expect(
      current.includes(areasTable()),
      'docs/architecture.md is stale: run `npx tsx test/architecture/layer-rules.ts --write-docs`',
    ).toBe(true);
    expect(docsWithTable(current)).toBe(current);
  });

  it('every area named in a uses list or entries exists in the table', () => {
    const paths = new Set(AREAS.map((a) => a.path));
    for (const a of AREAS) {
      for (const u of a.uses === '*' ? [] : a.uses) expect(paths.has(u), `${a.path} uses unknown area ${u}`).toBe(true);
      for (const e of a.entries ?? [])
        expect(e.startsWith(`${a.path}/`), `${a.path} entry ${e} lies outside it`).toBe(true);
    }
  });
});

describe('layer rules catch the imports they are for (fixture repo)', () => {
  const root = mkdtempSync(join(tmpdir(), 'pos-layers-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const files: Record<string, string> = {
    'app/contract/index.ts': 'export type TillEvent = { type: string };\n',
    'app/core/index.ts': "export * from './footfall';\n",
    'app/core/footfall/index.ts': "export * from './conversion-math';\n",
    'app/core/footfall/conversion-math.ts': 'export const rate = 1;\n',
    'app/core/footfall-math/index.ts': "export * from './footfall-math';\n",
    'app/core/footfall-math/footfall-math.ts': 'export const storeDay = 1;\n',
    'app/till/index.ts': "export * from './customer-display';\n",
    'app/till/customer-display.ts': 'export interface CustomerDisplayState { seq: number }\n',
    'app/renderer/display/main.ts':
      "import type { CustomerDisplayState } from '../../till/customer-display';\nexport const s: CustomerDisplayState = { seq: 1 };\n",
    'app/renderer/src/read-file.ts': "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n",
    'drivers/index.ts': "export * from './hub';\n",
    'drivers/hub/index.ts': "export * from './core-bridge';\n",
    'drivers/hub/core-bridge.ts':
      "import type { TillEvent } from '../../app/contract';\nexport const e: TillEvent = { type: 'x' };\n",
    'edge-agent/index.ts': "export * from './footfall/intervals';\n",
    'edge-agent/footfall/intervals.ts':
      "export { rate } from '../../app/core/footfall/conversion-math';\nexport { storeDay } from '../../app/core/footfall-math';\n",
    'sync/index.ts': "export * from './storage';\nexport * from './protocol';\n",
    'sync/protocol/index.ts': "export * from './auth';\n",
    'sync/protocol/auth.ts': 'export const secretMatches = () => true;\n',
    'sync/storage/index.ts': "export * from './sqlite-storage';\nexport * from './pg-storage';\n",
    'sync/storage/sqlite-storage.ts': 'export const groupStock = 1;\n',
    'sync/storage/pg-storage.ts': "import { groupStock } from './sqlite-storage';\nexport const pg = groupStock;\n",
    'app/host/index.ts': "export * from './web-host';\n",
    'app/host/web-host.ts':
      "import { secretMatches } from '../../sync/protocol/auth';\nexport const ok = secretMatches;\n",
    'app/host/main.ts': 'export {};\n',
    'app/host/settings.ts': "import '../../drivers';\nimport 'electron';\n",
    'app/core/terminal/core-sync.ts': 'export const q = "SELECT 1 FROM sync_ops WHERE t = \'fact\'";\n',
    'app/core/terminal/core-sync.test.ts': "export const q = 'SELECT k FROM sync_ops';\n",
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  let found: Promise<LayerViolation[]> | undefined;
  const rulesFor = async (from: string, to: string) =>
    (await (found ??= findLayerViolations(root)))
      .filter((v) => v.from === from && v.to === to)
      .map((v) => v.rule)
      .sort();

  it('the edge agent reaching into the terminal core for footfall maths', async () => {
    expect(await rulesFor('edge-agent/footfall/intervals.ts', 'app/core/footfall/conversion-math.ts')).toEqual([
      'area-entry:app/core',
      'index-only:app/core/footfall',
      'layer:edge-agent->app/core',
    ]);
    expect(
      await rulesFor('edge-agent/footfall/intervals.ts', 'app/core/footfall-math/index.ts'),
      'the shared maths module is allowed',
    ).toEqual([]);
  });

  it('drivers importing the RPC contract', async () => {
    expect(await rulesFor('drivers/hub/core-bridge.ts', 'app/contract/index.ts')).toEqual([
      'layer:drivers->app/contract',
    ]);
  });

  it('the browser display page importing a Node-side till file', async () => {
    expect(await rulesFor('app/renderer/display/main.ts', 'app/till/customer-display.ts')).toEqual([
      'area-entry:app/till',
      'index-only:app/till',
      'layer:app/renderer->app/till',
    ]);
    expect(await rulesFor('app/renderer/src/read-file.ts', 'fs')).toEqual(['browser-node:app/renderer']);
  });

  it('one storage adapter importing another', async () => {
    expect(await rulesFor('sync/storage/pg-storage.ts', 'sync/storage/sqlite-storage.ts')).toEqual([
      'separate:sync/storage/pg-storage.ts',
    ]);
  });

  it('the web host reaching into sync protocol internals', async () => {
    expect(await rulesFor('app/host/web-host.ts', 'sync/protocol/auth.ts')).toEqual([
      'area-entry:sync',
      'index-only:sync/protocol',
    ]);
  });

  it('electron outside the shell, and an area the table does not allow', async () => {
    const v = (await (found ??= findLayerViolations(root)))
      .filter((x) => x.from === 'app/host/settings.ts')
      .map((x) => x.rule)
      .sort();
    expect(v).toEqual(['layer:app/host->drivers', 'package:electron']);
  });

  it("the core reading sync's op table with raw SQL (tests may look underneath)", () => {
    expect(findPrivateTableQueries(root).map((f) => `${f.file} ${f.table}`)).toEqual([
      'app/core/terminal/core-sync.ts sync_ops',
    ]);
  });

  it('says which import, which rule and what to do', async () => {
    const text = describeViolations(
      (await (found ??= findLayerViolations(root))).filter((v) => v.from === 'drivers/hub/core-bridge.ts'),
    );
    expect(text).toContain(
      'drivers/hub/core-bridge.ts\n    imports app/contract/index.ts\n    breaks rule layer:drivers->app/contract',
    );
    expect(text).toMatch(/what to do: drivers may not depend on app\/contract .*Move the shared code down/);
  });
});
