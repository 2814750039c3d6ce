// The technician's camera page (docs/footfall.md "The camera page"): the page itself (public
// shell: it holds no data, the technician types the admin token into it) and the token routes
// it calls — a connection test that answers with the first picture, the live picture of a
// running camera, and the live tracks, counts and health for the test walk. Pictures have every
// face blurred, are built in memory and are never written to disk.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IncomingMessage } from 'node:http';
import { Hono } from 'hono';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { FaceAnalyzer, PersonDetector } from '../../models';
import type { KitEnv } from '../../http-kit';
import type { AgentStore } from '../footfall';
import { AgentError, redactCredentials, type CameraInputRules, type VideoFrame } from '../ingest';
import { blurredJpeg, grabFrame, peopleIn } from './camera-probe';
import type { CameraRunner } from './camera-runner';

export interface CameraPageDeps {
  runners: () => CameraRunner[];
  rules: CameraInputRules;
  faces: Pick<FaceAnalyzer, 'detectFaces'>;
  detector: PersonDetector;
  store: AgentStore;
  log: Logger;
  readJson: (req: IncomingMessage) => Promise<unknown>;
  send: (status: number, body: unknown) => Response;
  /** How long a connection test waits for the first picture (default 10 s). */
  probeTimeoutMs?: number;
}

const PAGE_DIR = join(import.meta.dirname, 'camera-page');
const PAGE_FILES: Record<string, { file: string; type: string }> = {
  '/setup/cameras': { file: 'camera-page.html', type: 'text/html; charset=utf-8' },
  '/setup/camera-page.js': { file: 'camera-page.js', type: 'text/javascript; charset=utf-8' },
};

const probeBody = z.object({
  input: z.string().min(1).max(2000),
  width: z.number().int().min(64).max(3840).optional(),
  rtspListen: z.boolean().optional(),
});

function jpegReply(jpeg: Buffer, frame: VideoFrame): Response {
  return new Response(new Uint8Array(jpeg), {
    status: 200,
    headers: {
      'content-type': 'image/jpeg',
      'cache-control': 'no-store',
      'x-frame-width': String(frame.width),
      'x-frame-height': String(frame.height),
    },
  });
}

/** The page's shell and script: no token (they carry no data), same for everyone. */
export function cameraPageFiles(): Hono<KitEnv> {
  const app = new Hono<KitEnv>();
  for (const [path, f] of Object.entries(PAGE_FILES)) {
    // Read per request: a few kB, and an edited page shows without a restart.
    app.get(path, () => {
      const body = readFileSync(join(PAGE_DIR, f.file), 'utf8');
      return new Response(body, {
        status: 200,
        headers: {
          'content-type': f.type,
          'cache-control': 'no-cache',
          // The page loads nothing from elsewhere and is never framed.
          'content-security-policy':
            "default-src 'self'; img-src 'self' blob: data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
          'x-frame-options': 'DENY',
        },
      });
    });
  }
  return app;
}

/** The page's data routes; mount behind the admin-token check. */
export function cameraPageRoutes(d: CameraPageDeps): Hono<KitEnv> {
  let probing = false;
  // One blur per camera at a time: a second page (or a fast poller) shares the picture being made.
  const snapshotsInFlight = new Map<string, Promise<Response>>();
  const runner = (id: string) => {
    const r = d.runners().find((x) => x.config.id === id);
    if (!r) throw new AgentError('NOT_FOUND', `camera ${id} is not running (save it enabled first)`);
    return r;
  };
  return new Hono<KitEnv>()
    .post('/cameras/probe', async (c) => {
      const parsed = probeBody.safeParse(await d.readJson(c.env.incoming));
      if (!parsed.success) throw new AgentError('BAD_REQUEST', 'connection test needs { input, width? }');
      // One at a time: each test starts an ffmpeg and a face pass on a box that is counting.
      if (probing) throw new AgentError('BAD_REQUEST', 'a connection test is already running; wait for it');
      probing = true;
      try {
        const started = Date.now();
        const frame = await grabFrame(parsed.data, d.rules, { timeoutMs: d.probeTimeoutMs, log: d.log });
        const jpeg = await blurredJpeg(frame, d.faces, await peopleIn(frame, d.detector, d.log));
        d.store.audit({
          at: new Date().toISOString(),
          action: 'camera.probe',
          by: 'admin-token',
          detail: { input: redactCredentials(parsed.data.input), ms: Date.now() - started },
        });
        return jpegReply(jpeg, frame);
      } finally {
        probing = false;
      }
    })
    .get('/cameras/:id/snapshot', async (c) => {
      const r = runner(c.req.param('id'));
      const latest = r.watch();
      if (!latest)
        throw new AgentError('NOT_FOUND', `no picture yet from camera ${r.config.id}; the page asks again shortly`);
      let pending = snapshotsInFlight.get(r.config.id);
      if (!pending) {
        pending = blurredJpeg(latest.frame, d.faces, latest.people)
          .then((jpeg) => jpegReply(jpeg, latest.frame))
          .finally(() => snapshotsInFlight.delete(r.config.id));
        snapshotsInFlight.set(r.config.id, pending);
      }
      // Each caller gets its own copy of the shared answer (a Response body reads once).
      return (await pending).clone();
    })
    .get('/cameras/:id/live', (c) => {
      const r = runner(c.req.param('id'));
      const latest = r.watch();
      const status = r.status();
      return d.send(200, {
        ok: true,
        id: r.config.id,
        frame: latest ? { width: latest.frame.width, height: latest.frame.height, at: latest.frame.at } : null,
        line: r.config.line,
        tracks: r.pipeline.tracker.all().map((t) => ({ id: t.id, state: t.state, box: t.box, missed: t.missed })),
        totals: status.totals,
        // The whole status: fields other helpers add (per-camera detector figures) reach the page as they are.
        health: status,
      });
    });
}
