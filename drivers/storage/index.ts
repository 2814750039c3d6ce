// Device-layer persistence in the terminal's SQLite database: schema, per-terminal device
// configuration and the durable print job table.
export * from './schema';
export * from './device-config-store';
export * from './print-job-store';
