// Turns the layer table (layers.ts) into a dependency-cruiser rule set, runs it over the repo and
// explains each violation in words (which import, which rule, what to do). Also renders the
// table for docs/architecture.md. Run `npx tsx test/architecture/layer-rules.ts` to list
// violations, `--write-docs` to rewrite the docs table.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { cruise, type IForbiddenRuleType, type IViolation } from 'dependency-cruiser';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import {
  AREAS,
  BROWSER_AREAS,
  PRIVATE_TABLES,
  PROCESS_ENTRIES,
  RESTRICTED_PACKAGES,
  SEPARATE_FILES,
  TEST_FILE_PATTERN,
  type Area,
} from './layers';

export const ROOT = join(import.meta.dirname, '../..');
/** Folders that hold source; everything the cruise looks at starts here. */
const SOURCE_ROOTS = ['app', 'drivers', 'sync', 'models', 'edge-agent', 'test', 'bin'];
const SKIP_DIRS = new Set(['node_modules', 'dist', 'build']);

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const isFile = (path: string) => /\.[a-z]+$/.test(path);
/** Regex source matching a folder's files or a single file. */
const under = (path: string) => (isFile(path) ? `^${esc(path)}$` : `^${esc(path)}/`);
const alt = (sources: string[]) => sources.join('|');
const contains = (outer: string, inner: string) => inner !== outer && inner.startsWith(`${outer}/`);

export function areaOf(file: string): Area | undefined {
  return AREAS.filter((a) => file === a.path || file.startsWith(`${a.path}/`)).sort(
    (a, b) => b.path.length - a.path.length,
  )[0];
}

/** Every folder with an index.ts: a module, entered only through that file. */
export function discoverModules(root = ROOT): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      if (entry.isDirectory() && !SKIP_DIRS.has(entry.name) && !entry.name.startsWith('.'))
        walk(`${dir}/${entry.name}`);
      else if (entry.name === 'index.ts') found.push(dir);
    }
  };
  for (const r of SOURCE_ROOTS) if (existsSync(join(root, r))) walk(r);
  return found.sort();
}

/** What a developer should do about each kind of rule; keyed by the rule name's prefix. */
const ADVICE: Record<string, (rule: string) => string> = {
  layer: (rule) => {
    const [from, to] = rule.slice('layer:'.length).split('->');
    return `${from} may not depend on ${to} (see the table in docs/architecture.md / test/architecture/layers.ts). Move the shared code down into a module both may use, pass it in through an interface from the composition root, or — if the dependency is right — add '${to}' to the 'uses' of '${from}' in test/architecture/layers.ts and regenerate the docs.`;
  },
  'index-only': (rule) => {
    const mod = rule.slice('index-only:'.length);
    return `import ${mod} through its index.ts ('${mod}'), not a file inside it; if what you need is not exported there, export it from ${mod}/index.ts.`;
  },
  'area-entry': (rule) => {
    const area = rule.slice('area-entry:'.length);
    const entries = AREAS.find((a) => a.path === area)?.entries ?? [];
    return `other areas import ${area} through ${area}/index.ts${entries.length ? ` or the listed entries (${entries.join(', ')})` : ''}; use that, or add the module to 'entries' of '${area}' in test/architecture/layers.ts if it is meant to be public.`;
  },
  'process-entry': (rule) =>
    `${rule.slice('process-entry:'.length)} starts a process when imported; only its launchers may import it. Import the module's index.ts instead.`,
  package: (rule) => {
    const p = RESTRICTED_PACKAGES.find((x) => x.name === rule.slice('package:'.length));
    return `'${p?.name}' may only be imported in ${p?.onlyIn.join(', ')}: ${p?.why}`;
  },
  separate: (rule) => {
    const file = rule.slice('separate:'.length);
    return `${file} may not import its sibling implementations: ${SEPARATE_FILES.find((g) => g.files.includes(file))?.why}. Move the shared code into a file both import.`;
  },
  'browser-node': (rule) =>
    `${rule.slice('browser-node:'.length)} runs in the browser: no Node built-ins. Ask the till for the data over the contract instead.`,
};

export function adviceFor(rule: string): string {
  const kind = Object.keys(ADVICE).find((k) => rule.startsWith(`${k}:`));
  return kind ? ADVICE[kind]!(rule) : 'see test/architecture/layers.ts';
}

export function buildRuleSet(modules = discoverModules()): { forbidden: IForbiddenRuleType[] } {
  const forbidden: IForbiddenRuleType[] = [];
  const testFiles = TEST_FILE_PATTERN;
  const processEntries = PROCESS_ENTRIES.map((p) => under(p.path));
  const paths = AREAS.map((a) => a.path);
  for (const a of paths) if (!AREAS.some((x) => x.path === a)) throw new Error(`unknown area ${a}`);
  for (const area of AREAS) {
    for (const u of area.uses === '*' ? [] : area.uses)
      if (!paths.includes(u)) throw new Error(`${area.path} uses unknown area ${u}`);
  }

  // 1. Layers: area A may import area B only when B is in A's `uses`. One rule per pair, so the
  // rule name says both ends. Nested areas (app/core/barcode in app/core) are areas of their own.
  for (const a of AREAS) {
    if (a.uses === '*') continue;
    const uses = a.uses;
    const fromPathNot = [testFiles, ...AREAS.filter((n) => contains(a.path, n.path)).map((n) => under(n.path))];
    for (const b of AREAS) {
      if (b === a || uses.includes(b.path)) continue;
      // Inside b, the parts that are a itself or an area a may use are not b for this rule.
      const exempt = AREAS.filter(
        (n) => contains(b.path, n.path) && (n === a || contains(n.path, a.path) || uses.includes(n.path)),
      ).map((n) => under(n.path));
      if (contains(b.path, a.path)) exempt.push(under(a.path));
      forbidden.push({
        name: `layer:${a.path}->${b.path}`,
        severity: 'error',
        from: { path: under(a.path), pathNot: alt(fromPathNot) },
        to: { path: under(b.path), ...(exempt.length ? { pathNot: alt(exempt) } : {}) },
      });
    }
  }

  // 2. Every module is entered through its index.ts (nested modules have their own rule).
  for (const m of modules) {
    const nested = modules.filter((n) => contains(m, n)).map((n) => `^${esc(n)}/`);
    forbidden.push({
      name: `index-only:${m}`,
      severity: 'error',
      from: { pathNot: `^${esc(m)}/` },
      to: { path: `^${esc(m)}/`, pathNot: alt([`^${esc(m)}/index\\.ts$`, ...nested, ...processEntries]) },
    });
  }

  // 3. Other areas see an area's index.ts (plus its listed entries), not its inner modules.
  for (const a of AREAS) {
    if (isFile(a.path)) continue;
    const open = [
      `^${esc(a.path)}/index\\.ts$`,
      ...(a.entries ?? []).map((e) => `^${esc(e)}/index\\.ts$`),
      ...processEntries,
      ...AREAS.filter((n) => contains(a.path, n.path)).map((n) => under(n.path)),
    ];
    forbidden.push({
      name: `area-entry:${a.path}`,
      severity: 'error',
      from: {
        pathNot: alt([under(a.path), testFiles, ...AREAS.filter((x) => x.uses === '*').map((x) => under(x.path))]),
      },
      to: { path: under(a.path), pathNot: alt(open) },
    });
  }

  // 4. Process entry points are imported only by their launchers.
  for (const p of PROCESS_ENTRIES) {
    const owner = areaOf(p.path)!.path;
    forbidden.push({
      name: `process-entry:${p.path}`,
      severity: 'error',
      from: { pathNot: alt([under(owner), ...p.launchedBy.map(under)]) },
      to: { path: under(p.path) },
    });
  }

  // 5. Packages kept to one place, and no Node built-ins in browser code.
  for (const p of RESTRICTED_PACKAGES) {
    forbidden.push({
      name: `package:${p.name}`,
      severity: 'error',
      from: { pathNot: alt(p.onlyIn.map(under)) },
      to: { path: `^${esc(p.name)}$|(^|/)node_modules/${esc(p.name)}/` },
    });
  }
  for (const b of BROWSER_AREAS) {
    // Build configs (vite.config.ts) run in Node, not in the page.
    forbidden.push({
      name: `browser-node:${b}`,
      severity: 'error',
      from: { path: under(b), pathNot: alt([testFiles, '\\.config\\.ts$']) },
      to: { dependencyTypes: ['core'] },
    });
  }
  for (const g of SEPARATE_FILES) {
    for (const f of g.files) {
      forbidden.push({
        name: `separate:${f}`,
        severity: 'error',
        from: { path: under(f) },
        to: { path: alt(g.files.filter((x) => x !== f).map(under)) },
      });
    }
  }
  return { forbidden };
}

export interface LayerViolation {
  from: string;
  to: string;
  rule: string;
  advice: string;
}

/**
 * Runs the rule set over the source roots of `root` (the repo, or a test fixture laid out like
 * it); returns every violation, sorted.
 */
export async function findLayerViolations(root = ROOT): Promise<LayerViolation[]> {
  const cwd = process.cwd();
  process.chdir(root); // dependency-cruiser reports paths relative to the working directory
  try {
    const tsConfigFile = join(root, 'tsconfig.json');
    const hasTsConfig = existsSync(tsConfigFile);
    const result = await cruise(
      SOURCE_ROOTS.filter((r) => existsSync(join(root, r))),
      {
        validate: true,
        ruleSet: buildRuleSet(discoverModules(root)),
        tsPreCompilationDeps: true,
        doNotFollow: { path: 'node_modules' },
        exclude: { path: '(^|/)(node_modules|dist)/|^models/build/' },
        ...(hasTsConfig ? { tsConfig: { fileName: tsConfigFile } } : {}),
      },
      { extensions: ['.ts', '.tsx', '.mjs', '.js', '.cjs', '.json'] },
      hasTsConfig ? { tsConfig: extractTSConfig(tsConfigFile) } : {},
    );
    if (typeof result.output === 'string')
      throw new Error('dependency-cruiser returned text, expected a result object');
    const violations: IViolation[] = result.output.summary.violations;
    return violations
      .map((v) => ({
        from: relative(root, join(root, v.from)),
        to: relative(root, join(root, v.to)),
        rule: v.rule.name,
        advice: adviceFor(v.rule.name),
      }))
      .sort((x, y) => (x.from + x.to + x.rule).localeCompare(y.from + y.to + y.rule));
  } finally {
    process.chdir(cwd);
  }
}

/** One paragraph per offending import (an import can break several rules at once). */
export function describeViolations(violations: LayerViolation[]): string {
  const byImport = new Map<string, LayerViolation[]>();
  for (const v of violations) {
    const key = `${v.from}\u0000${v.to}`;
    byImport.set(key, [...(byImport.get(key) ?? []), v]);
  }
  return [...byImport.values()]
    .map((list) =>
      [
        `  ${list[0]!.from}`,
        `    imports ${list[0]!.to}`,
        ...list.map((v) => `    breaks rule ${v.rule}\n      what to do: ${v.advice}`),
      ].join('\n'),
    )
    .join('\n\n');
}

/** Source files outside a table's owner that run SQL against it (FROM/JOIN/INTO/UPDATE <table>). */
export function findPrivateTableQueries(root = ROOT): { file: string; table: string; advice: string }[] {
  const found: { file: string; table: string; advice: string }[] = [];
  const tests = new RegExp(TEST_FILE_PATTERN);
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name) && !entry.name.startsWith('.')) walk(path);
        continue;
      }
      if (!/\.(ts|tsx|mjs)$/.test(entry.name) || tests.test(entry.name)) continue;
      const text = readFileSync(join(root, path), 'utf8');
      for (const p of PRIVATE_TABLES) {
        if (path.startsWith(`${p.owner}/`)) continue;
        for (const table of p.tables) {
          if (new RegExp(`\\b(FROM|JOIN|INTO|UPDATE)\\s+${esc(table)}\\b`, 'i').test(text)) {
            found.push({ file: path, table, advice: `${table} belongs to ${p.owner}; use ${p.instead}` });
          }
        }
      }
    }
  };
  for (const r of SOURCE_ROOTS) if (existsSync(join(root, r))) walk(r);
  return found;
}

// ---- docs/architecture.md table ----

export const DOCS_FILE = join(ROOT, 'docs/architecture.md');
const BEGIN =
  '<!-- layers:begin (generated from test/architecture/layers.ts; npx tsx test/architecture/layer-rules.ts --write-docs) -->';
const END = '<!-- layers:end -->';

export function areasTable(): string {
  const code = (p: string) => `\`${p}\``;
  const rows = AREAS.map((a) => {
    const uses = a.uses === '*' ? 'everything' : a.uses.length ? a.uses.map(code).join(', ') : '—';
    const entries = a.entries?.length ? `; also ${a.entries.map(code).join(', ')}` : '';
    const pkg = a.packages ? ` (npm: ${a.packages})` : '';
    return `| ${code(a.path)} | ${a.what}${pkg} | ${uses} | ${a.root ? `— (${a.root})` : `${code(`${a.path}/index.ts`)}${entries}`} |`;
  });
  return ['| area | what | may import | others import it through |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** docs/architecture.md with the generated table between its markers. */
export function docsWithTable(current = readFileSync(DOCS_FILE, 'utf8')): string {
  const start = current.indexOf(BEGIN);
  const end = current.indexOf(END);
  if (start < 0 || end < start) throw new Error(`docs/architecture.md lacks the markers ${BEGIN} ... ${END}`);
  return `${current.slice(0, start)}${BEGIN}\n${areasTable()}\n${current.slice(end)}`;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  if (process.argv.includes('--write-docs')) {
    writeFileSync(DOCS_FILE, docsWithTable());
    console.log('docs/architecture.md: layer table regenerated');
  } else {
    const v = await findLayerViolations();
    console.log(v.length ? `${v.length} layer violation(s):\n\n${describeViolations(v)}` : 'no layer violations');
    process.exitCode = v.length ? 1 : 0;
  }
}
