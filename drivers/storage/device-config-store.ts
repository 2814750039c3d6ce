// Per-terminal device configuration (which printer/scanner/scale/display this till uses),
// persisted in the terminal's SQLite file. Validated with zod when written and when read.
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { parseDeviceUri } from '../transports';

export const deviceKindSchema = z.enum(['printer', 'scanner', 'scale', 'display', 'drawer']);
export const deviceConfigSchema = z.object({
  deviceId: z.string().trim().min(1).max(64),
  kind: deviceKindSchema,
  uri: z
    .string()
    .trim()
    .min(4)
    .max(300)
    .refine((u) => {
      try {
        parseDeviceUri(u);
        return true;
      } catch {
        return false;
      }
    }, 'not a valid device URI'),
  options: z.record(z.string(), z.unknown()).default({}),
  enabled: z.boolean().default(true),
});
export type DeviceConfig = z.output<typeof deviceConfigSchema>;
export type DeviceConfigInput = z.input<typeof deviceConfigSchema>;

interface Row {
  device_id: string;
  kind: string;
  uri: string;
  options: string;
  enabled: number;
}

export class DeviceConfigStore {
  constructor(
    private readonly db: Database.Database,
    readonly terminalId: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  list(): DeviceConfig[] {
    const rows = this.db
      .prepare(
        'SELECT device_id, kind, uri, options, enabled FROM device_config WHERE terminal_id = ? ORDER BY device_id',
      )
      .all(this.terminalId) as Row[];
    return rows.map((r) =>
      deviceConfigSchema.parse({
        deviceId: r.device_id,
        kind: r.kind,
        uri: r.uri,
        options: JSON.parse(r.options),
        enabled: r.enabled === 1,
      }),
    );
  }

  get(deviceId: string): DeviceConfig | null {
    return this.list().find((d) => d.deviceId === deviceId) ?? null;
  }

  upsert(input: DeviceConfigInput): DeviceConfig {
    const c = deviceConfigSchema.parse(input);
    this.db
      .prepare(
        `INSERT INTO device_config (terminal_id, device_id, kind, uri, options, enabled, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (terminal_id, device_id) DO UPDATE SET kind = excluded.kind, uri = excluded.uri, options = excluded.options, enabled = excluded.enabled, updated_at = excluded.updated_at`,
      )
      .run(
        this.terminalId,
        c.deviceId,
        c.kind,
        c.uri,
        JSON.stringify(c.options),
        c.enabled ? 1 : 0,
        this.now().toISOString(),
      );
    return c;
  }

  remove(deviceId: string): boolean {
    return (
      this.db
        .prepare('DELETE FROM device_config WHERE terminal_id = ? AND device_id = ?')
        .run(this.terminalId, deviceId).changes > 0
    );
  }
}
