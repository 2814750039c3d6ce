// The manager's report screen in Chromium against a real web host: sales made over HTTP, then the
// manager opens the back office with the keyboard (Alt+B, F5), sees the day's figures, the hourly
// sales-vs-footfall chart drawn by the lazily loaded ECharts chunk, switches to the category mix
// (key 2), and downloads the report as XLSX (F4) and CSV (F12); the downloaded files are opened
// and checked. The till's first screen must not have loaded the chart code.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startWebHost } from '../../app/host';
import { demoProducts } from '../../app/core';
import { launchChromium, loginToTill, newTillPage } from './till-page';

type Host = Awaited<ReturnType<typeof startWebHost>>;
let host: Host;
let browser: Browser;
const dataDir = mkdtempSync(join(tmpdir(), 'pos-e2e-reports-'));
const each = demoProducts().filter((p) => p.unit === 'each');
const basket = [each[0]!, each[40]!, each[90]!];

async function call(method: string, input: unknown, token?: string): Promise<any> {
  const r = await fetch(`${host.url}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(input),
  });
  const body = (await r.json()) as Record<string, any>;
  if (!body.ok) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body;
}

beforeAll(async () => {
  host = await startWebHost({ port: 0, dataDir, seedDemo: true, logger: pino({ level: 'silent' }) });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await host?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('back-office reports in Chromium', () => {
  it('shows the day with a chart, switches to the category mix and downloads XLSX and CSV', async () => {
    const cashier = (await call('auth.login', { pin: '1234' })).token as string;
    let total = 0;
    for (const [i, p] of basket.entries()) {
      await call('cart.add', { sku: p.sku, quantity: i + 1 }, cashier);
      total += (await call('cart.pay', { tenders: [{ type: 'cash', amount: 100_000 }] }, cashier)).total as number;
    }
    await call('auth.logout', {}, cashier);

    const page = await newTillPage(browser, host.url);
    const scripts: string[] = [];
    page.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(r.url());
    });
    await loginToTill(page, '8888');
    expect(scripts.some((u) => u.includes('store-chart'))).toBe(false);
    await page.keyboard.press('Alt+b');
    await page.getByTestId('bo-tab-reports').waitFor();
    await page.keyboard.press('F5');
    await page.getByTestId('sales-report').waitFor();
    const yuan = (fen: number) =>
      `¥${Math.floor(fen / 100).toLocaleString('en-US')}.${String(fen % 100).padStart(2, '0')}`;
    await page.locator('[data-testid="rep-total-sales"]', { hasText: yuan(total) }).waitFor();
    expect(await page.getByTestId('rep-total-tx').textContent()).toBe('3');
    expect(await page.getByTestId('rep-source').textContent()).toContain('仅本机');

    // The hourly chart: ECharts' SVG with a bar per busy hour, loaded on demand.
    const chart = page.getByTestId('rep-chart-hour');
    await chart.locator('svg').waitFor();
    expect(scripts.some((u) => u.includes('store-chart'))).toBe(true);
    expect(await chart.locator('svg path').count()).toBeGreaterThan(2);

    await page.keyboard.press('2');
    await page.locator('[data-testid="sales-report"][data-group="category"]').waitFor();
    await page.getByTestId('rep-chart-category').locator('svg').waitFor();
    const rows = page.getByTestId('rep-row');
    expect(await rows.count()).toBe(3);
    // zh-CN category names, from the pie's legend text and the table alike.
    const firstName = (await rows.first().locator('td').first().textContent()) ?? '';
    expect(firstName).toMatch(/[\u4e00-\u9fff]/);

    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('F4')]);
    expect(xlsx.suggestedFilename()).toMatch(/^sales-category_demo-store_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync((await xlsx.path())!) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('sales-category')!;
    expect(ws.getRow(2).getCell(2).value).toBe(firstName);
    expect(ws.getRow(5).getCell(7).value).toBe(total / 100); // the total row after three categories

    const [csv] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('F12')]);
    const text = readFileSync((await csv.path())!, 'utf8');
    expect(text.split('\r\n')[0]).toBe(
      '\uFEFFcategory,name,name_en,transactions,items,weight_kg,sales_cny,returns_cny,net_cny,cost_cny,margin_cny,share',
    );
    expect(text).toContain(`合计,Total,3,6,0.000,${(total / 100).toFixed(2)}`);
    await page.close();
  }, 120_000);
});
