// Technician commands for sync on the hub box: `npx tsx sync/cli.ts status|repair [--hub URL]`.
// `repair` resets the hub's cursors and resyncs it with the cloud (safe: ops are idempotent).
const args = process.argv.slice(2);
const cmd = args[0];
const at = args.indexOf('--hub');
const hub = (at >= 0 ? args[at + 1] : undefined) ?? process.env['HUB_URL'] ?? 'http://127.0.0.1:8791';

async function main(): Promise<number> {
  if (cmd === 'status') {
    const r = await fetch(`${hub}/health`);
    console.log(JSON.stringify(await r.json(), null, 2));
    return r.ok ? 0 : 1;
  }
  if (cmd === 'repair') {
    const r = await fetch(`${hub}/sync/admin/repair`, { method: 'POST' });
    const body = await r.json();
    console.log(JSON.stringify(body, null, 2));
    return r.ok ? 0 : 1;
  }
  console.error('usage: npx tsx sync/cli.ts status|repair [--hub http://127.0.0.1:8791]');
  return 2;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`sync: cannot reach the hub at ${hub}: ${err.message}`);
    process.exit(1);
  },
);
