// The edge agent's settings from its environment, with defaults that fit the other processes:
// the cloud listens on 8790 (`npm run cloud`), the store hub on 8791 (the till's HUB_URL), the
// agent's own HTTP API on 8792. The old defaults put the agent on the cloud's 8790 and the store
// at "S1", so the two never ran together and the demo pairing code (store S001) was refused
// (security issue #10, item 20a). A store is required unless EDGE_DEMO=1 says "the demo store".
import { join, resolve } from 'node:path';
import { AgentError } from '../ingest';
import { storeIdSchema, type AgentConfigFile } from '../pipeline';

export const AGENT_DEFAULTS = {
  edgePort: 8792,
  hubPort: 8791,
  cloudUrl: 'http://127.0.0.1:8790',
} as const;

/** The demo store and its reusable pairing code, as `npm run cloud` serves them in demo mode (docs/sync.md). */
export const DEMO_STORE = { storeId: 'S001', enrollCode: 'DEMO-S001-2026' } as const;

export interface AgentSettings {
  demo: boolean;
  storeId: string;
  edgePort: number;
  edgeHost: string;
  hubEnabled: boolean;
  hubPort: number;
  hubHost: string;
  /** HUB_MDNS=1: announce the hub on the LAN (mDNS) for the tills' first-run wizard. */
  hubAnnounce: boolean;
  cloudUrl: string;
  enrollCode: string;
  dataDir: string;
  hubDataDir: string;
  /** The only folder whose files may be camera inputs. */
  mediaDir: string;
  flushMs: number | undefined;
}

function bad(message: string): AgentError {
  return new AgentError('CONFIG_INVALID', message);
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw bad(`${name} must be a port number 0-65535, got ${raw}`);
  return n;
}

/** A 0/1 switch, off when unset; anything else is a typo the technician should hear about. */
function flagOn(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = env[name]?.trim();
  if (!raw || raw === '0') return false;
  if (raw === '1') return true;
  throw bad(`${name} must be 1 or 0, got ${raw}`);
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** LOG_LEVEL (default info), read before the rest so the start-up itself is logged at that level. */
export function agentLogLevel(env: NodeJS.ProcessEnv): (typeof LOG_LEVELS)[number] {
  const raw = env['LOG_LEVEL']?.trim() || 'info';
  const level = LOG_LEVELS.find((l) => l === raw);
  if (!level) throw bad(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got ${raw}`);
  return level;
}

/** Throws CONFIG_INVALID with what to set when the settings do not make a working agent. */
export function agentSettingsFromEnv(env: NodeJS.ProcessEnv, file: Pick<AgentConfigFile, 'storeId'>): AgentSettings {
  const demo = env['EDGE_DEMO'] === '1';
  if (demo && env['NODE_ENV'] === 'production') {
    throw bad(
      'EDGE_DEMO=1 is for demos and is refused with NODE_ENV=production: set the store (storeId in EDGE_CONFIG) and its pairing code (ENROLL_CODE)',
    );
  }
  const fromEnv = env['EDGE_STORE_ID']?.trim() || undefined;
  if (fromEnv !== undefined && !storeIdSchema.safeParse(fromEnv).success)
    throw bad(`EDGE_STORE_ID ${fromEnv} is not a store id (1-32 letters, digits, _ or -)`);
  const storeId = fromEnv ?? file.storeId ?? (demo ? DEMO_STORE.storeId : undefined);
  if (storeId === undefined) {
    throw bad(
      `no store configured: set "storeId" in EDGE_CONFIG or EDGE_STORE_ID (for the demo, EDGE_DEMO=1 uses store ${DEMO_STORE.storeId} and its demo pairing code)`,
    );
  }
  const dataDir = resolve(env['EDGE_DATA_DIR'] || env['HUB_DATA_DIR'] || 'data/edge-agent');
  const edgePort = port(env, 'EDGE_PORT', AGENT_DEFAULTS.edgePort);
  const hubPort = port(env, 'HUB_PORT', AGENT_DEFAULTS.hubPort);
  const hubEnabled = env['HUB_ENABLED'] !== '0';
  if (hubEnabled && edgePort !== 0 && edgePort === hubPort)
    throw bad(`EDGE_PORT and HUB_PORT are both ${edgePort}: the agent's API and the store hub need a port each`);
  const flush = env['EDGE_FLUSH_MS'] ? Number(env['EDGE_FLUSH_MS']) : undefined;
  if (flush !== undefined && !(Number.isFinite(flush) && flush >= 50))
    throw bad('EDGE_FLUSH_MS must be a number of milliseconds (at least 50)');
  return {
    demo,
    storeId,
    edgePort,
    hubPort,
    hubEnabled,
    edgeHost: env['EDGE_HOST'] || '0.0.0.0',
    hubHost: env['HUB_HOST'] || '0.0.0.0',
    hubAnnounce: flagOn(env, 'HUB_MDNS'),
    cloudUrl: env['CLOUD_URL'] || AGENT_DEFAULTS.cloudUrl,
    // the demo code only pairs the demo store, and only with a cloud started in demo mode
    enrollCode: env['ENROLL_CODE'] || (demo && storeId === DEMO_STORE.storeId ? DEMO_STORE.enrollCode : ''),
    dataDir,
    hubDataDir: resolve(env['HUB_DATA_DIR'] || join(dataDir, 'hub')),
    mediaDir: resolve(env['EDGE_MEDIA_DIR'] || join(dataDir, 'media')),
    flushMs: flush,
  };
}
