// Composition root of `npm run edge-agent`: the store hub from sync (HUB_PORT, HUB_DATA_DIR,
// CLOUD_URL, ENROLL_CODE) plus the door cameras from EDGE_CONFIG (cameras saved with
// PUT /cameras override the file's list). Env: EDGE_PORT (8790), EDGE_HOST (0.0.0.0),
// EDGE_DATA_DIR (HUB_DATA_DIR or ./data/edge-agent), HUB_ENABLED=0 to run without the hub,
// EDGE_ADMIN_TOKEN (technician routes; generated into <data dir>/admin-token when unset).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pino from 'pino';
import { startSyncHub, type SyncHub } from '../../sync';
import { AgentStore } from '../footfall';
import { agentConfigSchema, cameraConfigSchema, type AgentConfig } from '../pipeline';
import { AgentError } from '../ingest';
import { startAgentService } from './agent-service';
import { hubFootfallPublisher, hubSaleTimes } from './sync-bridge';

export function loadAgentConfig(path: string | undefined): AgentConfig {
  if (!path) return agentConfigSchema.parse({});
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new AgentError('CONFIG_INVALID', `cannot read EDGE_CONFIG ${path}: ${(e as Error).message}`, `无法读取配置文件 ${path}`);
  }
  const parsed = agentConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new AgentError('CONFIG_INVALID', `EDGE_CONFIG ${path} invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, `配置文件 ${path} 无效`);
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
    if (fromEnv.length < 16) throw new AgentError('CONFIG_INVALID', 'EDGE_ADMIN_TOKEN must be at least 16 characters', 'EDGE_ADMIN_TOKEN 至少 16 个字符');
    return fromEnv;
  }
  const file = join(dataDir, 'admin-token');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const token = randomBytes(24).toString('base64url');
  writeFileSync(file, token + '\n', { mode: 0o600 });
  log.info({ file }, 'generated the agent admin token (technician routes need it)');
  return token;
}

export async function runService(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const log = pino({ name: 'edge-agent', level: env['LOG_LEVEL'] ?? 'info' });
  const config = loadAgentConfig(env['EDGE_CONFIG']);
  const dataDir = resolve(env['EDGE_DATA_DIR'] ?? env['HUB_DATA_DIR'] ?? 'data/edge-agent');
  mkdirSync(dataDir, { recursive: true });
  const store = new AgentStore(join(dataDir, 'edge-agent.db'));
  const saved = store.getSetting('cameras');
  if (saved) {
    const parsed = cameraConfigSchema.array().safeParse(JSON.parse(saved));
    if (parsed.success) config.cameras = parsed.data;
    else log.warn('saved camera list is invalid; using EDGE_CONFIG');
  }
  let hub: SyncHub | null = null;
  if (env['HUB_ENABLED'] !== '0') {
    hub = await startSyncHub({
      port: Number(env['HUB_PORT'] ?? 8787),
      host: env['HUB_HOST'] ?? '0.0.0.0',
      dataDir: resolve(env['HUB_DATA_DIR'] ?? join(dataDir, 'hub')),
      cloudUrl: env['CLOUD_URL'] ?? 'http://127.0.0.1:8788',
      enrollCode: env['ENROLL_CODE'] ?? '',
      storeId: config.storeId,
      log: log.child({ part: 'hub' }),
    });
  }
  const service = await startAgentService({
    config, store, log,
    port: Number(env['EDGE_PORT'] ?? 8790),
    host: env['EDGE_HOST'] ?? '0.0.0.0',
    publisher: hub ? hubFootfallPublisher(hub, config.storeId, log) : null,
    readSales: hub ? hubSaleTimes(hub.storage, config.storeId) : undefined,
    hubStatus: hub ? () => hub.status() : undefined,
    flushMs: env['EDGE_FLUSH_MS'] ? Number(env['EDGE_FLUSH_MS']) : undefined,
    adminToken: adminToken(env, dataDir, log),
    snapshotsDir: join(dataDir, 'debug-snapshots'),
  });
  // Printed for supervisors and tests that start the agent with port 0.
  log.info({ url: service.url, hub: hub?.url ?? null }, 'edge agent ready');
  process.stdout.write(`EDGE_AGENT_READY ${JSON.stringify({ url: service.url, hub: hub?.url ?? null })}\n`);
  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    log.info('shutting down');
    await service.close();
    await hub?.close();
    store.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown());
  process.on('SIGINT', () => void shutdown());
}
