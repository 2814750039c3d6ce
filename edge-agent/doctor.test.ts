import { describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import { runAgentDoctor } from './doctor';
import { ensureModelsBuilt } from '../app/build';

describe('edge-agent doctor', () => {
  it('passes ffmpeg and the verified models, and fails when the agent does not answer', async () => {
    ensureModelsBuilt();
    const checks = await runAgentDoctor({ agentUrl: 'http://127.0.0.1:9', dataDir: process.cwd(), timeoutMs: 1000 });
    const by = (n: string) => checks.find((c) => c.name === n)!;
    expect(by('ffmpeg').status).toBe('pass');
    expect(by('model movenet-multipose').status).toBe('pass');
    expect(by('agent-service')).toMatchObject({ status: 'fail' });
    expect(by('agent-service').fix).toMatch(/systemctl start edge-agent/);
  }, 60_000);

  it('reads each camera from the agent: a reconnecting camera fails, a slow one warns', async () => {
    // Stands in for the agent's /health (its shape is the agent's; the service test covers the real one).
    const server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          ok: false,
          cameras: [
            { id: 'door0', state: 'streaming', lastError: null, reconnects: 0, fps: 10, frames: 900 },
            { id: 'door1', state: 'reconnecting', lastError: 'connection refused', reconnects: 4, fps: 0, frames: 0 },
            { id: 'door2', state: 'streaming', lastError: null, reconnects: 0, fps: 2.5, frames: 40 },
          ],
          hub: { error: 'cloud: fetch failed' },
        }),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    try {
      const checks = await runAgentDoctor({ agentUrl: `http://127.0.0.1:${port}`, dataDir: process.cwd(), models: [] });
      const by = (n: string) => checks.find((c) => c.name === n)!;
      expect(by('camera door0').status).toBe('pass');
      expect(by('camera door1')).toMatchObject({
        status: 'fail',
        detail: 'reconnecting: connection refused (4 reconnects)',
      });
      expect(by('camera door2').status).toBe('warn');
      expect(by('hub').status).toBe('fail');
    } finally {
      server.close();
    }
  });
});
