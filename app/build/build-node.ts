// `npm run build:node`: the production build of the Node entries (issue 19). esbuild bundles each
// entry's own TypeScript into one ES module in dist/node/ (npm packages stay external, so native
// modules load as usual), with source maps. Development keeps tsx; bin/pos.mjs and
// bin/edge-agent.mjs prefer a built file only while it is current (see bin/built-entry.mjs).
//
// Source files find their assets through import.meta.dirname / import.meta.url (the camera page,
// the renderer, the models, the inference worker). In one bundle those would all point at
// dist/node, so each source file's import.meta is rewritten to its own source location, relative
// to the bundle: a package that ships dist/node next to the asset folders keeps working wherever
// it is installed.
//
//   npx tsx app/build/build-node.ts [--outdir DIR] [--app-root DIR]
import { build, type Plugin } from 'esbuild';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const root = resolve(import.meta.dirname, '../..');

/** Output name → source entry (relative to the repository root). */
export const NODE_ENTRIES: Record<string, string> = {
  'pos-cli': 'bin/pos-cli.ts',
  'edge-agent-cli': 'edge-agent/cli.ts',
  'edge-agent': 'edge-agent/main.ts',
  cloud: 'sync/cloud/main.ts',
  till: 'app/start.ts',
};

const toPosix = (p: string) => p.split('\\').join('/');

/** Rewrites import.meta.dirname/filename/url in our own sources to the source file's location. */
function sourceLocationPlugin(outdir: string, appRoot: string): Plugin {
  return {
    name: 'source-location',
    setup(b) {
      b.onLoad({ filter: /\.(ts|tsx|mts)$/ }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        if (args.path.includes('/node_modules/') || !text.includes('import.meta')) return undefined;
        // e.g. "../../app/host/web-host.ts": the source file seen from the bundle's folder.
        const rel = toPosix(join(relative(outdir, appRoot), relative(root, args.path)));
        const url = `new URL(${JSON.stringify(rel)}, import.meta.url)`;
        const file = `decodeURIComponent(${url}.pathname)`;
        // One pass, so the replacement's own import.meta.url is not rewritten again.
        const contents = text.replace(/import\.meta\.(dirname|filename|url)\b/g, (_m, what: string) =>
          what === 'url' ? `${url}.href` : what === 'filename' ? file : `${file}.replace(/\\/[^/]*$/, '')`,
        );
        return { contents, loader: args.path.endsWith('x') ? 'tsx' : 'ts', resolveDir: dirname(args.path) };
      });
    },
  };
}

/**
 * Builds every entry into outdir; returns the written bundle paths. appRoot is where the
 * repository's files will be next to the bundles at run time (a package's install folder staged
 * beside outdir); by default this repository.
 */
export async function buildNode(outdir = join(root, 'dist/node'), appRoot = root): Promise<string[]> {
  outdir = resolve(outdir);
  mkdirSync(outdir, { recursive: true });
  const plugin = sourceLocationPlugin(outdir, resolve(appRoot));
  // Chunks of an earlier build would pile up (their names carry a hash).
  for (const f of readdirSync(outdir)) if (/^chunk-.*\.mjs(\.map)?$/.test(f)) rmSync(join(outdir, f));
  // One build with code splitting: a module loaded by dynamic import() (e.g. `pos doctor`) becomes
  // its own chunk, so the npm packages only it uses are not loaded when other commands start.
  const result = await build({
    entryPoints: Object.fromEntries(Object.entries(NODE_ENTRIES).map(([name, entry]) => [name, join(root, entry)])),
    outdir,
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    outExtension: { '.js': '.mjs' },
    splitting: true,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    metafile: true,
    plugins: [plugin],
    logLevel: 'warning',
    // Bundled CommonJS helpers call require(); an ES module has none of its own.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  // The launcher's freshness check: the sources each entry was built from (its chunks' included),
  // relative to the root.
  const outputs = result.metafile.outputs;
  const key = (file: string) => toPosix(relative(process.cwd(), file));
  const sourcesOf = (out: string, seen = new Set<string>()): Set<string> => {
    if (seen.has(out)) return new Set();
    seen.add(out);
    const o = outputs[out]!;
    const acc = new Set(Object.keys(o.inputs));
    for (const imp of o.imports)
      if (!imp.external && outputs[imp.path]) for (const s of sourcesOf(imp.path, seen)) acc.add(s);
    return acc;
  };
  return Object.entries(NODE_ENTRIES).map(([name, entry]) => {
    const outfile = join(outdir, `${name}.mjs`);
    const inputs = [...sourcesOf(key(outfile))]
      .map((p) => toPosix(relative(root, resolve(process.cwd(), p))))
      .filter((p) => !p.startsWith('node_modules/') && !p.startsWith('..'));
    writeFileSync(join(outdir, `${name}.inputs.json`), JSON.stringify({ entry, inputs }) + '\n');
    return outfile;
  });
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const { values } = parseArgs({ options: { outdir: { type: 'string' }, 'app-root': { type: 'string' } } });
  const t = performance.now();
  const files = await buildNode(values.outdir, values['app-root']);
  console.log(
    `built ${files.map((f) => toPosix(relative(process.cwd(), f))).join(', ')} in ${Math.round(performance.now() - t)} ms`,
  );
}
