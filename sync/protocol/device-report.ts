// What a device tells its peer about itself for the cloud's fleet view (docs/technician.md
// "Fleet view"): software version, device alerts as codes, the edge agent's cameras, and — from a
// hub — the tills it has seen. Codes and ids only: no names, no camera URLs, no personal data.
// It travels beside sync (POST /sync/report), not as ops: it is a status, not shop data.
import { z } from 'zod';

const id = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/);
const iso = z
  .string()
  .max(40)
  .refine((s) => Number.isFinite(Date.parse(s)), 'an ISO time');

export const deviceAlertSchema = z.object({
  /** Which part: a device id (`printer-1`), a camera (`camera:door1`), `disk`, … */
  source: id,
  /** A stable code (`COVER_OPEN`, `PAPER_OUT`, `CAMERA_DOWN`, …). */
  code: z.string().regex(/^[A-Z][A-Z0-9_]{1,39}$/),
});

export const cameraReportSchema = z.object({
  id,
  state: z.enum(['connecting', 'streaming', 'backoff', 'ended', 'failed', 'stopped']),
  fps: z.number().min(0).max(1000).optional(),
  lastFrameAt: iso.nullable().optional(),
});

const tillSeenSchema = z.object({
  id,
  lastSeenAt: iso,
  version: z.string().max(40).optional(),
  alerts: z.array(deviceAlertSchema).max(50).default([]),
});

export const deviceReportSchema = z.object({
  version: z.string().min(1).max(40),
  alerts: z.array(deviceAlertSchema).max(50).default([]),
  cameras: z.array(cameraReportSchema).max(32).default([]),
  /** A hub's view of its store's tills (they sync with the hub, not with the cloud). */
  tills: z.array(tillSeenSchema).max(100).default([]),
});

export type DeviceReport = z.output<typeof deviceReportSchema>;
export type DeviceReportInput = z.input<typeof deviceReportSchema>;
