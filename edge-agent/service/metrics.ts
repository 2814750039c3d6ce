// Prometheus text exposition for the agent: per-camera fps, inference time, frames, drops,
// reconnects, counts; store occupancy; process memory.
import type { CameraStatus } from './camera-runner';

export function renderMetrics(
  cams: CameraStatus[],
  extra: {
    occupancy: number;
    occupancyAlert: boolean;
    crossings: Map<string, { in: number; out: number }>;
    hubUp: boolean | null;
  },
): string {
  const lines: string[] = [];
  const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  const metric = (name: string, type: 'gauge' | 'counter', help: string, rows: Array<[string, number]>) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, v] of rows) lines.push(`${name}${labels} ${Number.isFinite(v) ? v : 0}`);
  };
  const per = (f: (c: CameraStatus) => number) =>
    cams.map((c) => [`{camera="${esc(c.id)}"}`, f(c)] as [string, number]);
  metric(
    'edge_camera_fps',
    'gauge',
    'Frames processed per second (last 10 s).',
    per((c) => c.fps),
  );
  metric(
    'edge_camera_up',
    'gauge',
    '1 when the camera is streaming.',
    per((c) => (c.source.state === 'streaming' ? 1 : 0)),
  );
  metric(
    'edge_inference_ms',
    'gauge',
    'Person detector time for the last frame, ms.',
    per((c) => c.inferenceMs),
  );
  metric(
    'edge_detector_ms_avg',
    'gauge',
    'Person detector time per frame, moving average, ms.',
    per((c) => c.detector.runMsAvg),
  );
  metric(
    'edge_detector_wait_ms_avg',
    'gauge',
    'Time a frame waited for a free detector worker, moving average, ms.',
    per((c) => c.detector.waitMsAvg),
  );
  metric(
    'edge_detector_fps',
    'gauge',
    'Frames through the shared detector per second (last 10 s).',
    per((c) => c.detector.fps),
  );
  metric(
    'edge_frames_total',
    'counter',
    'Frames decoded.',
    per((c) => c.source.frames),
  );
  metric(
    'edge_frames_dropped_total',
    'counter',
    'Frames dropped because the detector was behind (scheduler: oldest waiting frame; source: consumer busy).',
    per((c) => c.dropped),
  );
  metric(
    'edge_frames_skipped_total',
    'counter',
    'Frames skipped by the motion gate (nothing changed since the detector last looked).',
    per((c) => c.pipeline.skippedNoMotion),
  );
  metric(
    'edge_frames_bad_total',
    'counter',
    'Frames rejected as corrupt.',
    per((c) => c.pipeline.badFrames),
  );
  metric(
    'edge_decode_errors_total',
    'counter',
    'ffmpeg decode/stream errors.',
    per((c) => c.source.decodeErrors),
  );
  metric(
    'edge_source_reconnects_total',
    'counter',
    'Camera reconnects.',
    per((c) => c.source.reconnects),
  );
  metric(
    'edge_tracks',
    'gauge',
    'Confirmed tracks now.',
    per((c) => c.pipeline.tracks),
  );
  const rows: Array<[string, number]> = [];
  for (const c of cams) {
    const t = extra.crossings.get(c.id) ?? { in: 0, out: 0 };
    rows.push([`{camera="${esc(c.id)}",direction="in"}`, t.in], [`{camera="${esc(c.id)}",direction="out"}`, t.out]);
  }
  metric('edge_crossings_total', 'counter', 'Net door crossings since start.', rows);
  metric('edge_store_occupancy', 'gauge', 'People in the store (door counts, reset nightly).', [['', extra.occupancy]]);
  metric('edge_store_occupancy_alert', 'gauge', '1 while the occupancy alert is raised.', [
    ['', extra.occupancyAlert ? 1 : 0],
  ]);
  if (extra.hubUp !== null)
    metric('edge_sync_hub_up', 'gauge', '1 when the sync hub runs.', [['', extra.hubUp ? 1 : 0]]);
  metric('process_resident_memory_bytes', 'gauge', 'Resident memory.', [['', process.memoryUsage.rss()]]);
  return `${lines.join('\n')}\n`;
}
