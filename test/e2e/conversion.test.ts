// Footfall & conversion end to end with real processes: the cloud (PGlite), the edge agent
// (`edge-agent/main.ts`: the store hub + the counter, no camera here) and a till web host
// (child process configured like `npm start`) that syncs through the agent's hub only.
// The agent counts one camera from a generated door video (a person walks in, another out:
// ground truth from the generator); a sale is made on the till over HTTP; the agent is also given
// door counts for two more cameras with PUT /footfall (the path for a third-party counter).
// Then footfall.conversion on the till must show the agent's entries next to the till's sale, the agent's own /conversion must count the sale from the hub's replica, and
// the manager sees it in the back office in Chromium. Nothing leaves 127.0.0.1.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { ConversionReport } from '../../app/contract';
import { demoProducts } from '../../app/core';
import { localDateOf, storeDay } from '../../app/core/footfall-math';
import { lineArg, writeDoorSet, type DoorClip } from '../../edge-agent/testing';
import { startProcess, type Proc } from '../sync/processes';
import pino from 'pino';
import { startWebHost } from '../../app/host';
import { tempDir, waitFor } from '../sync/helpers';
import { launchChromium, loginToTill, newTillPage } from './till-page';

const AGENT_TOKEN = 'e2e-agent-admin-token-42';

const root = join(import.meta.dirname, '../..');
const CODE = 'DEMO-S001-2026';
const STORE = 'S001';
const QUARTER = 15 * 60_000;
const cola = demoProducts().find((p) => p.nameEn === 'Coca-Cola 330ml')!;

let cloud: Proc;
let till: Proc;
let agent: ChildProcess;
let agentUrl = '';
let agentLog = '';
let browser: Browser | undefined;
let page: Page;
// Filled by the first test, used by the browser test.
let saleDate = '';
let saleHour = '';
let clip: DoorClip;
let saleReport: ConversionReport;

const tillUrl = () => `http://127.0.0.1:${till.info.port}`;
async function rpc(method: string, input: unknown, token?: string): Promise<any> {
  const r = await fetch(`${tillUrl()}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(input),
  });
  return r.json();
}
async function ok(method: string, input: unknown, token?: string): Promise<any> {
  const body = await rpc(method, input, token);
  if (!body.ok) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body;
}

beforeAll(async () => {
  cloud = await startProcess('sync/cloud/main.ts', {
    DATABASE_URL: '',
    CLOUD_DATA_DIR: tempDir('conv-cloud'),
    CLOUD_PORT: '0',
    CLOUD_DEMO: '1',
    CLOUD_ADMIN_TOKEN: 'conv-admin',
    DEMO_ENROLL_CODE: CODE,
    DEMO_STORE_ID: STORE,
  });
  const dir = tempDir('conv-agent');
  // Frame by frame (realtime: false), so the count does not depend on how busy the machine is.
  [clip] = (await writeDoorSet(dir, ['in-then-out'])) as [DoorClip];
  const [x1, y1, x2, y2] = lineArg().split(',').map(Number);
  writeFileSync(
    join(dir, 'edge.json'),
    JSON.stringify({
      storeId: STORE,
      utcOffsetMinutes: 480,
      detector: { model: 'centernet-384' },
      cameras: [{ id: 'door0', input: clip.path, fps: 4, realtime: false, line: { x1, y1, x2, y2 } }],
    }),
  );
  agent = spawn(process.execPath, ['--import', 'tsx', join(root, 'edge-agent/main.ts')], {
    cwd: root,
    env: {
      ...process.env,
      EDGE_CONFIG: join(dir, 'edge.json'),
      EDGE_PORT: '0',
      EDGE_HOST: '127.0.0.1',
      EDGE_DATA_DIR: join(dir, 'data'),
      EDGE_MEDIA_DIR: dir,
      HUB_PORT: '0',
      HUB_HOST: '127.0.0.1',
      HUB_DATA_DIR: join(dir, 'hub'),
      CLOUD_URL: `http://127.0.0.1:${cloud.info.port}`,
      ENROLL_CODE: CODE,
      EDGE_FLUSH_MS: '300',
      LOG_LEVEL: 'warn',
      EDGE_ADMIN_TOKEN: AGENT_TOKEN,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const reap = () => {
    if (agent.exitCode === null) agent.kill('SIGKILL');
  };
  process.once('exit', reap);
  agent.stdout!.on('data', (d: Buffer) => {
    agentLog += d.toString();
  });
  agent.stderr!.on('data', (d: Buffer) => {
    agentLog += d.toString();
  });
  const ready = await waitFor('EDGE_AGENT_READY', async () => /EDGE_AGENT_READY (.*)/.exec(agentLog)?.[1], 90_000, 200);
  const info = JSON.parse(ready) as { url: string; hub: string };
  agentUrl = info.url;
  // The till syncs through the agent's hub only (no CLOUD_URL): the hub is the store's relay.
  till = await startProcess('test/sync/till-process.ts', {
    POS_PORT: '0',
    POS_DATA_DIR: tempDir('conv-till'),
    POS_DEVICES: 'none',
    POS_STORE_ID: STORE,
    POS_TERMINAL_ID: 'T01',
    HUB_URL: info.hub,
    ENROLL_CODE: CODE,
    SYNC_INTERVAL_MS: '500',
    SYNC_MAX_BACKOFF_MS: '1000',
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await till?.stop();
  if (agent && agent.exitCode === null) {
    const exited = new Promise((r) => agent.once('exit', r));
    agent.kill('SIGTERM');
    const t = setTimeout(() => agent.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
  }
  await cloud?.stop();
});

describe('footfall & conversion: edge agent (hub) + till', () => {
  it("the agent's door counts and the till's sale meet in footfall.conversion on the till and in the agent's /conversion", async () => {
    const cashier = (await ok('auth.login', { pin: '1234' })).token as string;
    await ok('cart.add', { sku: cola.sku, quantity: 2 }, cashier);
    const paid = await ok('cart.pay', { tenders: [{ type: 'cash', amount: 100_000 }] }, cashier);
    const sale = (await ok('sales.get', { id: paid.saleId }, cashier)).sale as { createdAt: string };
    const at = Date.parse(sale.createdAt);
    const quarter = Math.floor(at / QUARTER) * QUARTER;
    saleDate = localDateOf('Asia/Shanghai', at);
    const day = storeDay('Asia/Shanghai', saleDate);
    const h = Math.floor((quarter - day.start) / 3_600_000);
    saleHour = day.hours[h]!.label;

    // Door counts for the sale's quarter from two cameras (door1 re-sent with a higher count).
    const put = async (camera: string, inCount: number, outCount: number) => {
      const r = await fetch(`${agentUrl}/footfall`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${AGENT_TOKEN}` },
        body: JSON.stringify({
          camera,
          intervals: [{ start: new Date(quarter).toISOString(), in: inCount, out: outCount }],
        }),
      });
      expect(r.status).toBe(200);
    };
    await put('door1', 3, 1);
    await put('door2', 1, 0);
    await put('door1', 4, 1);
    const bad = await fetch(`${agentUrl}/footfall`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${AGENT_TOKEN}` },
      body: JSON.stringify({
        camera: 'door1',
        intervals: [{ start: new Date(quarter + 60_000).toISOString(), in: 1, out: 0 }],
      }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/quarter hour/);

    // The camera has counted the video to its end; where (which local day/hour) its quarter fell.
    const cam = await waitFor(
      'the door camera to count the video',
      async () => {
        const h = (await (await fetch(`${agentUrl}/health`)).json()) as {
          cameras: Array<{ id: string; state: string; totals: { in: number; out: number } }>;
        };
        const c = h.cameras.find((x) => x.id === 'door0');
        return c?.state === 'ended' ? c : null;
      },
      120_000,
      500,
    );
    expect(cam.totals).toEqual(clip.expected);
    const now = Date.now();
    const camFf = (await (
      await fetch(
        `${agentUrl}/footfall?camera=door0&from=${new Date(now - 86_400_000).toISOString()}&to=${new Date(now + 3_600_000).toISOString()}`,
      )
    ).json()) as { intervals: Array<{ start: string; in: number; out: number }> };
    const camQuarters = camFf.intervals.filter((i) => i.in || i.out);
    expect(camQuarters.length).toBeGreaterThan(0);

    const manager = (await ok('auth.login', { pin: '8888' })).token as string;
    // Expected per store hour and day: the PUT counts in the sale's hour, the camera's where they fell.
    const expectedIn = new Map<string, number>([[`${saleDate} ${h}`, 5]]);
    const expectedOut = new Map<string, number>([[`${saleDate} ${h}`, 1]]);
    for (const q of camQuarters) {
      const at = Date.parse(q.start);
      const d = localDateOf('Asia/Shanghai', at);
      const key = `${d} ${Math.floor((at - storeDay('Asia/Shanghai', d).start) / 3_600_000)}`;
      expectedIn.set(key, (expectedIn.get(key) ?? 0) + q.in);
      expectedOut.set(key, (expectedOut.get(key) ?? 0) + q.out);
    }
    const report = await waitFor(
      "the till to hold the agent's footfall and report it next to the sale",
      async () => {
        const r = (await ok('footfall.conversion', { date: saleDate }, manager)).report;
        return r.hours[h].entries === expectedIn.get(`${saleDate} ${h}`) && r.cameras.length === 3 ? r : null;
      },
      60_000,
      500,
    );
    expect(report).toMatchObject({
      storeId: STORE,
      date: saleDate,
      timeZone: 'Asia/Shanghai',
      cameras: ['door0', 'door1', 'door2'],
    });
    expect(Date.parse(report.footfallAsOf)).toBeGreaterThanOrEqual(quarter + QUARTER);
    const entriesH = expectedIn.get(`${saleDate} ${h}`)!;
    expect(report.hours[h]).toMatchObject({
      label: saleHour,
      entries: entriesH,
      exits: expectedOut.get(`${saleDate} ${h}`),
      transactions: 1,
      conversion: Math.round((1 / entriesH) * 10_000) / 10_000,
    });
    for (const [key, n] of expectedIn) {
      const [d, hh] = key.split(' ') as [string, string];
      const r = d === saleDate ? report : (await ok('footfall.conversion', { date: d }, manager)).report;
      expect(r.hours[Number(hh)].entries).toBe(n);
    }
    const dayIn = [...expectedIn].filter(([k]) => k.startsWith(saleDate)).reduce((a, [, n]) => a + n, 0);
    expect(report.totals).toMatchObject({ entries: dayIn, transactions: 1 });
    saleReport = report;
    // Role check over HTTP: a cashier may not read it.
    expect((await rpc('footfall.conversion', { date: saleDate }, cashier)).error.code).toBe('FORBIDDEN');

    // The agent counts the sale from the hub's replica (the till pushed its sale fact there).
    const agentDay = await waitFor(
      "the agent to count the till's sale",
      async () => {
        const r = (await (await fetch(`${agentUrl}/conversion?date=${saleDate}`)).json()) as {
          source: string;
          hours: Array<{ entries: number; transactions: number; conversion: number | null }>;
        };
        return r.source === 'sales-facts' ? r : null;
      },
      30_000,
      500,
    );
    expect(agentDay.hours[h]).toMatchObject({
      entries: entriesH,
      transactions: 1,
      conversion: report.hours[h].conversion,
    });
  }, 180_000);

  it('shows the manager the hour in the back office (Alt+B, F9), and a plain message for a day without footfall', async () => {
    expect(saleDate).not.toBe('');
    browser = await launchChromium();
    page = await newTillPage(browser, tillUrl());
    await loginToTill(page, '8888');
    await page.keyboard.press('Alt+b');
    await page.getByTestId('bo-tab-sales').waitFor();
    await page.keyboard.press('F9');
    await page.getByTestId('footfall-table').waitFor();
    const row = page.locator(`[data-testid="footfall-row"][data-hour="${saleHour}"]`);
    await row.waitFor();
    // today is the sale's day unless the clock crossed midnight since; pick the date explicitly
    await page.getByTestId('footfall-date').fill(saleDate);
    await row.waitFor();
    const pct = (c: number | null) => (c === null ? '—' : `${(c * 100).toFixed(1)}%`);
    const hr = saleReport.hours.find((x) => x.label === saleHour)!;
    expect(await row.locator('td').allTextContents()).toEqual([
      saleHour,
      String(hr.entries),
      String(hr.exits),
      '1',
      pct(hr.conversion),
    ]);
    const tot = saleReport.totals;
    expect(await page.getByTestId('footfall-total').locator('th').allTextContents()).toEqual([
      '合计',
      String(tot.entries),
      String(tot.exits),
      '1',
      pct(tot.conversion),
    ]);
    expect(await page.getByTestId('footfall-asof').textContent()).toMatch(
      /客流数据截至 \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}.*door0, door1, door2/,
    );
    expect(await page.getByTestId('footfall-zone').textContent()).toContain('Asia/Shanghai');
    // PgUp: the day before has no footfall: a plain message, and no conversion figures.
    await page.getByTestId('footfall-table').click();
    await page.keyboard.press('PageUp');
    await page.getByTestId('footfall-empty').waitFor();
    expect(await page.getByTestId('footfall-empty').textContent()).toBe('当天没有客流记录。');
    expect(await page.getByTestId('footfall-date').inputValue()).toBe(
      new Date(Date.parse(`${saleDate}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10),
    );
    expect(await page.getByTestId('footfall-total').locator('th').allTextContents()).toEqual([
      '合计',
      '0',
      '0',
      '0',
      '—',
    ]);
  });

  it('a till without sync says plainly that it has no footfall, in both languages, and still counts its own sales', async () => {
    const host = await startWebHost({
      port: 0,
      dataDir: tempDir('conv-nosync'),
      seedDemo: true,
      logger: pino({ level: 'silent' }),
    });
    try {
      const call = async (method: string, input: unknown, token?: string) => {
        const r = await fetch(`${host.url}/api/${method}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify(input),
        });
        const body = (await r.json()) as Record<string, any>;
        if (!body.ok) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
        return body;
      };
      const cashier = (await call('auth.login', { pin: '1234' })).token as string;
      await call('cart.add', { sku: cola.sku, quantity: 1 }, cashier);
      await call('cart.pay', { tenders: [{ type: 'cash', amount: 100_000 }] }, cashier);
      await call('auth.logout', {}, cashier);
      const p = await newTillPage(browser!, host.url);
      await loginToTill(p, '8888');
      await p.keyboard.press('Alt+b');
      await p.getByTestId('bo-tab-sales').waitFor();
      await p.keyboard.press('F9');
      await p.getByTestId('footfall-empty').waitFor();
      expect(await p.getByTestId('footfall-empty').textContent()).toMatch(/^本机暂无客流数据/);
      // today's view (the host's real clock): the sale just made is this till's one transaction
      await p.locator('[data-testid="footfall-total"] th:nth-child(4)', { hasText: '1' }).waitFor();
      expect(await p.getByTestId('footfall-total').locator('th').allTextContents()).toEqual([
        '合计',
        '0',
        '0',
        '1',
        '—',
      ]);
      expect(await p.getByTestId('footfall-asof').textContent()).toBe('');
      await p.keyboard.press('F11');
      await p.getByText('No footfall data on this till yet', { exact: false }).waitFor();
      expect(await p.getByTestId('footfall-total').locator('th').first().textContent()).toBe('Total');
      await p.close();
    } finally {
      await host.close();
    }
  });
});
