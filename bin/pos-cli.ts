// `pos` commands for field technicians. Every command accepts --json: then its last output
// line is one JSON object (for scripts and the setup screen). Exit code 0 = success.
import { mkdtempSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
// Only what `pos devices` needs is loaded at start-up (a technician runs it most); the printer,
// scanner and emulator commands load the rest of the device layer (receiptline, bwip-js, qrcode,
// pngjs, zod's device URIs) when they run, `test-scan` the barcode parser (zod), and `devices
// --db` SQLite and the config store. Listing the serial ports loads serialport (drivers/discovery).
import { discoverDevices } from '../drivers/discovery';
import type { DeviceConfig } from '../drivers/storage';
import type { PtyPair, ReceiptPrinter, ScanEvent, ScannerProtocol } from '../drivers';
import pkg from '../package.json';
import { doctorFailed, doctorTable } from '../diagnostics';
// Loaded on `pos doctor` only: it brings the sync storage (pg) the other commands never need.
import type { DoctorOptions } from './pos-doctor';
import { cliLang, cliText } from './cli-text';

/** The rest of the device layer, for the commands that drive a device or run an emulator. */
const deviceLayer = () => import('../drivers');

type Args = { _: string[]; flags: Record<string, string | true> };

function parseArgs(argv: string[]): Args {
  const out: Args = { _: [], flags: {} };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--')) {
      const [k, v] = a.slice(2).split('=', 2) as [string, string?];
      const next = argv[i + 1];
      if (v !== undefined) out.flags[k] = v;
      else if (next !== undefined && !next.startsWith('--')) {
        out.flags[k] = next;
        i++;
      } else out.flags[k] = true;
    } else out._.push(a);
  }
  return out;
}

const HELP = `pos — store device tools

  pos devices [--db <till.db> [--terminal T01]] [--printer tcp://…]
                                               list serial, HID, USB printer and configured network devices
  pos test-print --printer <uri> [--width 58|80] [--encoding gb18030|cp936]
  pos drawer --printer <uri> [--pin 2|5] [--pulse <ms>]
  pos test-scan --scanner <uri> [--timeout <s>] [--protocol serial|hid-pos|hid-keyboard] [--terminator CR|LF|CRLF]
  pos emulate printer [--port 9100] [--serial <path> | --pty] [--out <dir>] [--png] [--width 58|80]
  pos emulate scanner (--serial <path> | --pty) [--code <code>] [--aim ]E0] [--terminator CR]
  pos emulate scale (--serial <path> | --pty) [--weight <grams>] [--continuous <ms>]
  pos emulate display [--port <n> | --serial <path> | --pty] [--ascii]   (2x20 pole display)
  pos doctor [--data-dir <dir>] [--url <till>] [--hub <url>] [--cloud <url>] [--terminal T01] [--bundle <file.json.gz>]
                                               checks disk, database, WAL, pairing, sync, clocks, devices;
                                               exit 1 when a check fails; --bundle writes a redacted diagnostics bundle

  URIs: tcp://host:9100  serial:/dev/ttyUSB0?baud=9600  usb:/dev/usb/lp0  hid:VID:PID
  Add --json to any command: the last line is one JSON object.
  Add --lang zh-CN|en for device messages in that language (default: POS_LANG, then LANG).`;

class CliError extends Error {}

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const json = args.flags.json === true;
  const say = (line: string) => {
    if (!json) console.log(line);
  };
  const result = (obj: Record<string, unknown>) => {
    if (json) console.log(JSON.stringify(obj));
  };
  const str = (k: string): string | undefined =>
    typeof args.flags[k] === 'string' ? (args.flags[k] as string) : undefined;
  const need = (k: string): string => {
    const v = str(k);
    if (!v) throw new CliError(`--${k} is required`);
    return v;
  };
  const [cmd, sub] = args._;
  try {
    switch (cmd) {
      case 'devices': {
        // Configured devices come from the till's SQLite file (--db), read-only.
        let configured: DeviceConfig[] = [];
        const dbPath = str('db');
        if (dbPath) {
          // Only with --db: SQLite and the config store (zod) are not loaded otherwise.
          const { default: Database } = await import('better-sqlite3');
          const { DeviceConfigStore } = await import('../drivers/storage');
          const db = new Database(dbPath, { readonly: true, fileMustExist: true });
          try {
            const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'device_config'").get();
            configured = has ? new DeviceConfigStore(db, str('terminal') ?? 'T01').list() : [];
          } finally {
            db.close();
          }
        }
        const net = [
          ...(str('printer') ? [need('printer')] : []),
          ...configured.filter((c) => c.uri.startsWith('tcp://')).map((c) => c.uri),
        ];
        const devices = await discoverDevices({ networkPrinters: [...new Set(net)] });
        if (configured.length) say('Configured on this till:');
        for (const c of configured)
          say(`  ${c.deviceId.padEnd(12)} ${c.kind.padEnd(8)} ${c.uri}${c.enabled ? '' : ' (disabled)'}`);
        say(devices.length ? 'Found:' : 'No devices found.');
        for (const d of devices)
          say(
            `  ${d.uri.padEnd(34)} ${d.likely.padEnd(8)} ${d.description}${d.reachable === false ? ' (not reachable)' : ''}`,
          );
        result({ ok: true, devices, configured });
        return 0;
      }
      case 'test-print':
        return await testPrint(need('printer'), args, say, result);
      case 'drawer':
        return await drawer(need('printer'), args, say, result);
      case 'test-scan':
        return await testScan(need('scanner'), args, say, result);
      case 'emulate':
        return await emulate(sub, args, say, result);
      case 'doctor': {
        const { runDoctor, writeBundle } = await import('./pos-doctor');
        const env = process.env;
        const url = (k: string, e: string | undefined) => (str(k) ?? e ?? null) || null;
        const o: DoctorOptions = {
          dataDir: str('data-dir') ?? env.POS_DATA_DIR ?? join(homedir(), '.edge-pos'),
          terminalId: str('terminal') ?? env.POS_TERMINAL_ID ?? 'T01',
          tillUrl: args.flags.url === 'none' ? null : url('url', `http://127.0.0.1:${env.POS_PORT || '8080'}`),
          hubUrl: url('hub', env.HUB_URL),
          cloudUrl: url('cloud', env.CLOUD_URL),
        };
        const bundlePath = str('bundle');
        if (bundlePath) {
          const b = await writeBundle(o, bundlePath, {
            node: process.version,
            pos: (pkg as { version: string }).version,
          });
          say(`Wrote ${b.path} (${b.bytes} bytes, ${b.auditLines} audit lines, personal data redacted).`);
          result({ ok: true, bundle: b });
          return 0;
        }
        const checks = await runDoctor(o);
        if (json) console.log(JSON.stringify({ checks }));
        else say(doctorTable(checks));
        return doctorFailed(checks) ? 1 : 0;
      }
      case undefined:
      case 'help':
        console.log(HELP);
        result({ ok: true });
        return 0;
      default:
        throw new CliError(`unknown command "${cmd}"\n\n${HELP}`);
    }
  } catch (err) {
    const e = err as Error & { code?: string };
    if (!json)
      console.error(`error: ${e.code ? cliText(e.code, cliLang(args.flags.lang, process.env), e.message) : e.message}`);
    result({
      ok: false,
      error: { code: e.code ?? (err instanceof CliError ? 'BAD_INPUT' : 'DEVICE_ERROR'), message: e.message },
    });
    return err instanceof CliError ? 2 : 1;
  }
}

type Say = (line: string) => void;
type Result = (obj: Record<string, unknown>) => void;

async function openPrinter(uri: string): Promise<ReceiptPrinter> {
  const { ReceiptPrinter, createTransport, parseDeviceUri } = await deviceLayer();
  const p = new ReceiptPrinter('printer', createTransport(parseDeviceUri(uri)), { ackTimeoutMs: 15_000 });
  await p.start('pos-cli');
  return p;
}

async function testPrint(uri: string, args: Args, say: Say, result: Result): Promise<number> {
  const { statusCode, statusMessage, encodeReceipt, sampleReceipt } = await deviceLayer();
  const width = args.flags.width === '58' ? 58 : 80;
  const encoding = (args.flags.encoding === 'cp936' ? 'cp936' : 'gb18030') as 'gb18030' | 'cp936';
  const t0 = Date.now();
  const p = await openPrinter(uri);
  try {
    const s = await p.queryStatus().catch(() => null);
    const code = s ? statusCode(s) : 'offline';
    if (s && code !== 'ok' && code !== 'paper_near_end') {
      say(cliText(code, cliLang(args.flags.lang, process.env), statusMessage(code)));
      result({ ok: false, printer: uri, status: code, message: statusMessage(code) });
      return 1;
    }
    const bytes = encodeReceipt(sampleReceipt({ saleNumber: 'TEST-PRINT' }), { width, encoding });
    await p.printJob('test-print', bytes);
    say(`Printed a test receipt on ${uri} (${bytes.length} bytes, ${Date.now() - t0} ms).`);
    result({
      ok: true,
      printer: uri,
      status: s ? code : 'unknown',
      bytes: bytes.length,
      ms: Date.now() - t0,
      width,
      encoding,
    });
    return 0;
  } finally {
    await p.close();
  }
}

async function drawer(uri: string, args: Args, say: Say, result: Result): Promise<number> {
  const pin = args.flags.pin === '5' ? 5 : 2;
  const pulse = Number(args.flags.pulse ?? 100);
  const p = await openPrinter(uri);
  try {
    await p.kickDrawer({ pin, onMs: pulse, offMs: pulse * 2 });
    // Ask for status so the pulse has left the host buffer before we hang up.
    await p.queryStatus().catch(() => null);
    say(`Drawer kick sent to ${uri} (pin ${pin}, ${pulse} ms).`);
    result({ ok: true, printer: uri, pin, pulseMs: pulse });
    return 0;
  } finally {
    await p.close();
  }
}

async function testScan(uri: string, args: Args, say: Say, result: Result): Promise<number> {
  const [{ createTransport, parseDeviceUri, BarcodeScanner }, { checkScannedCode }] = await Promise.all([
    deviceLayer(),
    import('./pos-barcode'),
  ]);
  const timeoutS = Number(args.flags.timeout ?? 30);
  const u = parseDeviceUri(uri);
  const protocol = (str(args, 'protocol') ?? (u.scheme === 'hid' ? 'hid-pos' : 'serial')) as ScannerProtocol;
  const terminator = str(args, 'terminator') ?? (u.scheme === 'serial' ? u.params.terminator : undefined);
  const scanner = new BarcodeScanner('scanner', createTransport(u), { protocol, terminator });
  const errors: string[] = [];
  scanner.on('error', (e) => {
    errors.push(e.code);
    say(`(${e.message} ${e.detail ?? ''})`);
  });
  await scanner.start('pos-cli');
  say(`Waiting up to ${timeoutS} s for a scan on ${uri}...`);
  try {
    const scan = await new Promise<ScanEvent | null>((resolve) => {
      const t = setTimeout(() => resolve(null), timeoutS * 1000);
      scanner.once('data', (s) => {
        clearTimeout(t);
        resolve(s);
      });
    });
    if (!scan) {
      say('No scan received.');
      result({ ok: false, error: { code: 'SCAN_TIMEOUT', message: `no scan within ${timeoutS} s` }, errors });
      return 1;
    }
    const check = checkScannedCode(scan.data, scan.symbology);
    say(
      `code: ${scan.data}\nsymbology: ${scan.symbology ?? 'unknown'}${scan.symbologyName ? ` (${scan.symbologyName})` : ''}\nkind: ${check.kind}${check.gtin ? `  gtin: ${check.gtin}` : ''}\ncheck digit: ${check.checkDigitValid === null ? 'n/a' : check.checkDigitValid ? 'valid' : 'INVALID'}${check.message ? `\n${check.message}` : ''}`,
    );
    result({
      ok: true,
      code: scan.data,
      symbology: scan.symbology,
      symbologyName: scan.symbologyName,
      kind: check.kind,
      gtin: check.gtin,
      checkDigitValid: check.checkDigitValid,
      reason: check.reason,
      errors,
    });
    return 0;
  } finally {
    await scanner.close();
  }
}

function str(args: Args, k: string): string | undefined {
  return typeof args.flags[k] === 'string' ? (args.flags[k] as string) : undefined;
}

function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

async function serialEnd(
  args: Args,
  say: Say,
): Promise<{ path: string; pty: PtyPair | null; tillSide: string | null }> {
  const { createPtyPair } = await deviceLayer();
  const given = str(args, 'serial');
  if (given) return { path: given, pty: null, tillSide: null };
  if (args.flags.pty !== true) throw new CliError('give --serial <path> or --pty');
  const pty = await createPtyPair(mkdtempSync(join(tmpdir(), 'pos-emu-')));
  say(`PTY pair: point the till at serial:${pty.b}?baud=9600`);
  return { path: pty.a, pty, tillSide: pty.b };
}

async function emulate(kind: string | undefined, args: Args, say: Say, result: Result): Promise<number> {
  const { PrinterEmulator, SerialScannerEmulator, ScaleEmulator, PoleDisplayEmulator } = await deviceLayer();
  if (kind === 'printer') {
    const port = args.flags.port === 'none' ? null : Number(args.flags.port ?? 9100);
    const serial = args.flags.pty === true || str(args, 'serial') ? await serialEnd(args, say) : null;
    const emu = new PrinterEmulator({
      port,
      serialPath: serial?.path,
      outDir: str(args, 'out'),
      png: args.flags.png === true,
      cols: args.flags.width === '58' ? 32 : 48,
    });
    await emu.start();
    emu.on('receipt', (r) => say(`--- receipt ${emu.receipts.length} ---\n${r.text}\n--- end ---`));
    emu.on('drawer', () => say('[drawer kick]'));
    if (emu.uri) say(`Printer emulator listening on ${emu.uri}`);
    if (args.flags.json === true)
      console.log(JSON.stringify({ ready: true, uri: emu.uri, serial: serial?.tillSide ?? serial?.path ?? null }));
    say(
      'Type: cover-open | cover-close | paper-out | paper-in | near-end | online | offline | status  (Ctrl-C to stop)',
    );
    const rl = process.stdin.isTTY || args.flags.stdin === true ? createInterface({ input: process.stdin }) : null;
    rl?.on('line', (l) => {
      const c = l.trim();
      const patch: Record<string, Partial<typeof emu.status>> = {
        'cover-open': { coverOpen: true },
        'cover-close': { coverOpen: false },
        'paper-out': { paperOut: true },
        'paper-in': { paperOut: false, paperNearEnd: false },
        'near-end': { paperNearEnd: true },
        online: { online: true },
        offline: { online: false },
      };
      if (patch[c]) emu.setStatus(patch[c]!);
      say(JSON.stringify(emu.status));
    });
    await untilStopped();
    rl?.close();
    await emu.stop();
    await serial?.pty?.close();
    result({ ok: true, receipts: emu.receipts.length, drawerKicks: emu.drawerKicks, bytes: emu.bytesReceived });
    return 0;
  }
  if (kind === 'scanner') {
    const end = await serialEnd(args, say);
    const emu = new SerialScannerEmulator(end.path, {
      terminator: str(args, 'terminator') === 'LF' ? '\n' : str(args, 'terminator') === 'CRLF' ? '\r\n' : '\r',
    });
    await emu.open();
    const aim = str(args, 'aim') ?? null;
    if (args.flags.json === true) console.log(JSON.stringify({ ready: true, serial: end.tillSide ?? end.path }));
    const code = str(args, 'code');
    if (code) {
      // Give the till side a moment to open the port, then scan once.
      await new Promise((r) => setTimeout(r, Number(args.flags.delay ?? 300)));
      await emu.scan(code, aim);
      say(`scanned ${code}`);
    } else {
      say('Type a code and press Enter to scan it (Ctrl-C to stop).');
      const rl = createInterface({ input: process.stdin });
      rl.on('line', (l) => {
        if (l.trim()) void emu.scan(l.trim(), aim);
      });
      await untilStopped();
      rl.close();
    }
    await emu.close();
    await end.pty?.close();
    result({ ok: true });
    return 0;
  }
  if (kind === 'scale') {
    const end = await serialEnd(args, say);
    const emu = new ScaleEmulator(end.path, {
      continuousMs: args.flags.continuous ? Number(args.flags.continuous) : undefined,
    });
    emu.setWeight(Number(args.flags.weight ?? 0));
    await emu.open();
    if (args.flags.json === true) console.log(JSON.stringify({ ready: true, serial: end.tillSide ?? end.path }));
    say('Type: <grams> | unstable | stable | overload | silent | talk  (Ctrl-C to stop)');
    const rl = createInterface({ input: process.stdin });
    rl.on('line', (l) => {
      const c = l.trim();
      if (/^-?\d+$/.test(c)) emu.setWeight(Number(c), emu.stable);
      else if (c === 'unstable') emu.stable = false;
      else if (c === 'stable') emu.stable = true;
      else if (c === 'overload') emu.overload = !emu.overload;
      else if (c === 'silent') emu.silent = true;
      else if (c === 'talk') emu.silent = false;
    });
    await untilStopped();
    rl.close();
    await emu.close();
    await end.pty?.close();
    result({ ok: true });
    return 0;
  }
  if (kind === 'display') {
    // A 2x20 pole display: decodes the ESC/POS display bytes and shows its two rows.
    const serial = args.flags.pty === true || str(args, 'serial') ? await serialEnd(args, say) : null;
    const port = serial && args.flags.port === undefined ? undefined : Number(args.flags.port ?? 0);
    const emu = new PoleDisplayEmulator({ port, serialPath: serial?.path, cjk: args.flags.ascii !== true });
    await emu.start();
    if (emu.uri) say(`Pole display emulator listening on ${emu.uri}`);
    if (args.flags.json === true)
      console.log(JSON.stringify({ ready: true, uri: emu.uri, serial: serial?.tillSide ?? serial?.path ?? null }));
    let updates = 0;
    emu.on('update', (rows: string[]) => {
      updates++;
      say(`+${'-'.repeat(20)}+\n|${rows.map((r) => r.padEnd(20)).join('|\n|')}|\n+${'-'.repeat(20)}+`);
    });
    await untilStopped();
    await emu.stop();
    await serial?.pty?.close();
    result({ ok: true, updates, rows: emu.lines() });
    return 0;
  }
  throw new CliError('emulate what? printer | scanner | scale | display');
}
