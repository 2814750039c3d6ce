// Composition root of `npm run edge-agent`: the store hub from sync (HUB_PORT 8791, HUB_DATA_DIR,
// CLOUD_URL, ENROLL_CODE) plus the door cameras from EDGE_CONFIG (cameras saved with
// PUT /cameras override the file's list). Env and defaults: agent-settings.ts and
// docs/footfall.md (EDGE_PORT 8792, EDGE_STORE_ID, EDGE_DEMO, EDGE_MEDIA_DIR, EDGE_ADMIN_TOKEN, …).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { startSyncHub, type SyncHub } from '../../sync';
import { AgentStore } from '../footfall';
import { agentConfigSchema, cameraConfigSchema, type AgentConfigFile } from '../pipeline';
import { AgentError, checkCameraInput, redactingLogHooks } from '../ingest';
import { agentLogLevel, agentSettingsFromEnv } from './agent-settings';
import { startAgentService } from './agent-service';
import { hubFootfallPublisher, hubSaleTimes } from './sync-bridge';
import { startFleetReporter } from './fleet-report';
import pkg from '../../package.json';

export function loadAgentConfig(path: string | undefined): AgentConfigFile {
  if (!path) return agentConfigSchema.parse({});
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new AgentError('CONFIG_INVALID', `cannot read EDGE_CONFIG ${path}: ${(e as Error).message}`);
  }
  const parsed = agentConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new AgentError(
      'CONFIG_INVALID',
      `EDGE_CONFIG ${path} invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}

/**
 * The technician token for the agent's write routes: EDGE_ADMIN_TOKEN, else one generated on
 * first start and kept in `<data dir>/admin-token` (mode 0600) for the technician to read on
 * the box. It is never logged.
 */
export function adminToken(env: NodeJS.ProcessEnv, dataDir: string, log: pino.Logger): string {
  const fromEnv = env['EDGE_ADMIN_TOKEN']?.trim();
  if (fromEnv) {
    if (fromEnv.length < 16) throw new AgentError('CONFIG_INVALID', 'EDGE_ADMIN_TOKEN must be at least 16 characters');
    return fromEnv;
  }
  const file = join(dataDir, 'admin-token');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const token = randomBytes(24).toString('base64url');
  writeFileSync(file, token + '\n', { mode: 0o600 });
  log.info({ file }, 'generated the agent admin token (technician routes need it)');
  return token;
}

export async function runService(env: NodeJS.ProcessEnv): Promise<void> {
  const log = pino({ name: 'edge-agent', level: agentLogLevel(env), hooks: redactingLogHooks });
  const file = loadAgentConfig(env['EDGE_CONFIG']);
  const settings = agentSettingsFromEnv(env, file);
  const config = { ...file, storeId: settings.storeId };
  const rules = { files: { under: settings.mediaDir } };
  // A camera the file names but the rules refuse is a start-up error the technician must fix,
  // not a camera that silently never runs.
  for (const c of config.cameras) {
    try {
      checkCameraInput(c.input, rules);
    } catch (e) {
      throw new AgentError(
        'INPUT_NOT_ALLOWED',
        `EDGE_CONFIG ${env['EDGE_CONFIG']}: camera ${c.id}: ${(e as Error).message}`,
      );
    }
  }
  const dataDir = settings.dataDir;
  mkdirSync(dataDir, { recursive: true });
  mkdirSync(settings.mediaDir, { recursive: true });
  if (settings.demo)
    log.warn({ storeId: settings.storeId }, 'EDGE_DEMO=1: demo store and demo pairing code; not for a real store');
  const store = new AgentStore(join(dataDir, 'edge-agent.db'));
  const saved = store.getSetting('cameras');
  if (saved) {
    // A list saved before an upgrade may hold inputs the rules now refuse: fall back to the file.
    const parsed = cameraConfigSchema.array().safeParse(JSON.parse(saved));
    const allowed =
      parsed.success &&
      parsed.data.every((c) => {
        try {
          checkCameraInput(c.input, rules);
          return true;
        } catch {
          return false;
        }
      });
    if (parsed.success && allowed) config.cameras = parsed.data;
    else log.warn('saved camera list is invalid or names inputs that are not allowed; using EDGE_CONFIG');
  }
  let hub: SyncHub | null = null;
  if (settings.hubEnabled) {
    hub = await startSyncHub({
      port: settings.hubPort,
      host: settings.hubHost,
      dataDir: settings.hubDataDir,
      cloudUrl: settings.cloudUrl,
      enrollCode: settings.enrollCode,
      storeId: config.storeId,
      announce: settings.hubAnnounce,
      log: log.child({ part: 'hub' }),
    });
  }
  const service = await startAgentService({
    config,
    store,
    log,
    port: settings.edgePort,
    host: settings.edgeHost,
    mediaDir: settings.mediaDir,
    publisher: hub ? hubFootfallPublisher(hub, config.storeId, log) : null,
    readSales: hub ? hubSaleTimes(hub.storage, config.storeId) : undefined,
    hubStatus: hub ? () => hub.status() : undefined,
    flushMs: settings.flushMs,
    adminToken: adminToken(env, dataDir, log),
    snapshotsDir: join(dataDir, 'debug-snapshots'),
  });
  // The cloud's fleet view: this box's version, cameras and the tills its hub has seen.
  const reporter = hub
    ? startFleetReporter({ hub, cameras: () => service.cameraStatus(), version: pkg.version, log })
    : null;
  // Printed for supervisors and tests that start the agent with port 0.
  log.info({ url: service.url, hub: hub?.url ?? null }, 'edge agent ready');
  process.stdout.write(`EDGE_AGENT_READY ${JSON.stringify({ url: service.url, hub: hub?.url ?? null })}\n`);
  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    log.info('shutting down');
    reporter?.stop();
    await service.close();
    await hub?.close();
    store.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown());
  process.on('SIGINT', () => void shutdown());
}
