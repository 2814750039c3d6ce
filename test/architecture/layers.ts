// The ONE table of layers: which area of the repo may import which. `layer-rules.ts` turns it
// into dependency-cruiser rules that `layers.test.ts` runs in `npm test`, and renders it as the
// folder table in docs/architecture.md (the test fails when that table is stale). To add a
// module: give it a folder with an index.ts that only re-exports; if it is a new area, add a row
// here (most specific path first is not needed: the longest matching path wins) and run
// `npx tsx test/architecture/layer-rules.ts --write-docs`.

export interface Area {
  /** Folder (or single file) relative to the repo root, no trailing slash. */
  path: string;
  /** What lives there, for the docs table. */
  what: string;
  /** Areas this one may import (through their index.ts); '*' = every area. */
  uses: readonly string[] | '*';
  /**
   * Modules inside this area that other areas may import through their own index.ts, besides
   * the area's index.ts (e.g. the till needs sync's client, not its Postgres cloud).
   */
  entries?: readonly string[];
  /** Set for roots nothing imports (a process, a bundle, the tests): said so in the docs. */
  root?: string;
  /** npm packages worth naming in the docs (not enforced, except those in RESTRICTED_PACKAGES). */
  packages?: string;
}

export const AREAS: readonly Area[] = [
  {
    path: 'app/contract',
    what: 'RPC method table (zod input schemas, roles), shared types (incl. the customer display state), error codes; generates docs/api.md',
    uses: [],
    packages: 'zod',
  },
  {
    path: 'app/core',
    what: 'terminal core: storage + migrations, catalog, cart, checkout/tenders, sales, returns, shifts, staff/sessions, audit, stock ledger, receipt layout, demo seed, replication outbox, sync wiring',
    uses: [
      'app/contract',
      'app/core/barcode',
      'app/core/search',
      'app/core/footfall-math',
      'app/core/forecast',
      'app/core/pricing',
      'sync',
    ],
  },
  {
    path: 'app/core/forecast',
    what: 'pure demand forecast and order suggestion for replenishment (calendar with holidays and 调休, synthetic store history, seasonal naive / Holt–Winters / ridge, backtest, newsvendor order policy, shelf simulation)',
    uses: [],
    packages: 'ml-matrix',
  },
  {
    path: 'app/core/pricing',
    what: 'pure pricing engine (member prices, percent/fixed prices, 满减, N件M折, 第二件半价, buy X get Y, time windows in the store zone, stacking, best price explained)',
    uses: ['app/core/footfall-math'],
    packages: 'zod',
  },
  {
    path: 'app/core/barcode',
    what: 'pure barcode parser (EAN/UPC, GS1 element strings, Digital Link, in-store weight/price codes)',
    uses: [],
  },
  {
    path: 'app/core/search',
    what: 'pure in-memory pinyin/Chinese/English product search index',
    uses: [],
    packages: 'pinyin-pro',
  },
  {
    path: 'app/core/footfall-math',
    what: 'pure footfall/conversion arithmetic (store-local days and hours, conversion rate, uuid v7 key ranges) shared by the till and the edge agent',
    uses: [],
  },
  {
    path: 'app/till',
    what: "composition of one till: core + device hub (receipts after sales and reprints, device status, hardware scans), customer display feed, the face models behind the core's FaceEmbedder",
    uses: ['app/contract', 'app/core', 'drivers', 'models'],
  },
  {
    path: 'app/host',
    what: 'web mode: HTTP + SSE adapter, static files',
    uses: ['app/contract', 'app/core', 'app/till', 'sync', 'http-kit'],
  },
  {
    path: 'app/main',
    what: 'Electron shell (main process); with app/preload the only places that import `electron`',
    uses: ['app/contract', 'app/till', 'sync'],
    packages: 'electron',
    root: 'Electron main process',
  },
  {
    path: 'app/preload',
    what: 'Electron preload (contextBridge `window.pos`)',
    uses: ['app/contract'],
    packages: 'electron',
    root: 'Electron preload bundle',
  },
  {
    path: 'app/renderer',
    what: 'till, returns, shift, back-office, setup and customer display screens (browser code: no Node APIs)',
    uses: ['app/contract'],
    packages: 'react',
    root: 'browser bundle (vite)',
  },
  {
    path: 'app/build',
    what: 'build steps shared by `npm start`, the edge agent and the tests (renderer bundle, ONNX models when missing)',
    uses: [],
  },
  {
    path: 'app/start.ts',
    what: '`npm start`: picks Electron or the web host',
    uses: ['app/build', 'app/host'],
    root: '`npm start`',
  },
  {
    path: 'drivers',
    what: 'device layer, transports, ESC/POS, emulators',
    uses: ['app/core/barcode'],
    // Light entries for `pos devices`, which must start without the hub's printers and renderers.
    entries: ['drivers/discovery', 'drivers/storage'],
  },
  {
    path: 'http-kit',
    what: "the one HTTP kit of every server (till web host, cloud/hub sync, edge agent): Hono on Node's http.Server, request guard, bounded bodies, JSON replies, bearer reading, error-to-status tables",
    uses: [],
    packages: 'hono, @hono/node-server',
  },
  {
    path: 'sync',
    what: 'CRDT core, storage adapters, protocol, cloud endpoint, store hub, hub discovery on the LAN (mDNS)',
    uses: ['http-kit'],
    entries: ['sync/core', 'sync/storage', 'sync/terminal', 'sync/protocol', 'sync/discovery'],
    packages: 'bonjour-service',
  },
  {
    path: 'diagnostics',
    what: "the technicians' doctors' shared parts: check results and their table, disk check, diagnostics-bundle redaction",
    uses: [],
  },
  {
    path: 'models',
    what: 'TFJS→ONNX converter, manifest, onnxruntime-node worker pool',
    uses: [],
    // Dev-only helpers (tiny detectors, the TFJS reference runner) for other areas' evaluation code.
    entries: ['models/testing'],
  },
  {
    path: 'edge-agent',
    what: 'store box service: sync hub + cameras (ffmpeg → CenterNet → ByteTrack-style tracker → door line/zones) → footfall intervals, conversion',
    uses: ['sync', 'models', 'app/core/footfall-math', 'app/build', 'http-kit', 'diagnostics'],
  },
  {
    path: 'bin',
    what: '`pos` and `edge-agent` command-line launchers',
    uses: ['drivers', 'app/core/barcode', 'edge-agent', 'diagnostics', 'sync'],
    root: 'command-line launchers',
  },
  {
    path: 'test',
    what: 'cross-process tests (Playwright e2e, crash, sync partition, footfall), benchmarks, this layer check',
    uses: '*',
    root: 'vitest',
  },
];

/**
 * Process entry points: files that start a process when imported. Besides their own area, only
 * the launchers named here may import them (they are not part of any index.ts).
 */
export const PROCESS_ENTRIES: readonly { path: string; launchedBy: readonly string[] }[] = [
  { path: 'app/host/main.ts', launchedBy: ['app/start.ts'] },
  { path: 'edge-agent/cli.ts', launchedBy: ['bin'] },
];

/** Packages only these areas may import (the others must go through them). */
export const RESTRICTED_PACKAGES: readonly { name: string; onlyIn: readonly string[]; why: string }[] = [
  {
    name: 'electron',
    onlyIn: ['app/main', 'app/preload'],
    why: 'Electron is one of two shells; everything else must run in web mode and in tests without it.',
  },
];

/** Areas that run in the browser: no Node built-ins (node:fs, node:path, ...). */
export const BROWSER_AREAS: readonly string[] = ['app/renderer'];

/**
 * Test files (`*.test.ts`, `*.case.ts`) may import any area through its index.ts: a test wires
 * real parts together to test a seam. The index-only rule still applies to them.
 */
export const TEST_FILE_PATTERN = '\\.(test|case)\\.tsx?$';

/** Files of one module that must not import each other (interchangeable implementations). */
export const SEPARATE_FILES: readonly { files: readonly string[]; why: string }[] = [
  {
    files: ['sync/storage/sqlite-storage.ts', 'sync/storage/pg-storage.ts'],
    why: 'each storage adapter stands alone; what they share lives in sync/storage/read-folds.ts (or types.ts)',
  },
];

/**
 * SQLite tables only their owning area may query (tests excepted: they may look underneath).
 * Others ask the owner's interface — e.g. sync's LocalReplicaReads — so the table can change.
 */
export const PRIVATE_TABLES: readonly { tables: readonly string[]; owner: string; instead: string }[] = [
  {
    tables: ['sync_ops', 'sync_meta'],
    owner: 'sync',
    instead:
      "the sync outbox's storage (LocalReplicaReads in sync/storage/types.ts); add a method there if it lacks one",
  },
];
