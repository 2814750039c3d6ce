import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Occupancy } from '../counting';
import { AgentStore } from './agent-store';
import { conversionForDate } from './conversion';
import { FootfallRecorder, type FootfallPublisher } from './footfall-recorder';
import { conversionRate, intervalStart, localHour } from './intervals';

const T = Date.UTC(2026, 10, 28, 2, 5); // 10:05 China time
const store = () => new AgentStore(join(mkdtempSync(join(tmpdir(), 'agent-store-')), 'a.db'));

describe('footfall intervals', () => {
  it('buckets and local hours', () => {
    expect(new Date(intervalStart(T, '15m')).toISOString()).toBe('2026-11-28T02:00:00.000Z');
    expect(localHour(T, 480)).toEqual({ date: '2026-11-28', hour: 10 });
    expect(conversionRate(3, 0)).toBeNull();
    expect(conversionRate(1, 3)).toBe(0.3333);
  });

  it('records events and 15 min / 1 h facts; a U-turn cancel takes the count back in the original interval', () => {
    const s = store();
    const published: Array<{ camera: string; start: string; in: number; out: number }> = [];
    const publisher: FootfallPublisher = { publish: (rows) => published.push(...rows) };
    const r = new FootfallRecorder({ store: s, occupancy: new Occupancy(), publisher });
    r.onCrossing('door1', { trackId: 1, direction: 'in', at: T, cancels: false });
    r.onCrossing('door1', { trackId: 2, direction: 'in', at: T + 60_000, cancels: false });
    r.onCrossing('door1', { trackId: 2, direction: 'out', at: T + 20 * 60_000, cancels: true, cancelsAt: T + 60_000 });
    r.onCrossing('door1', { trackId: 3, direction: 'out', at: T + 20 * 60_000, cancels: false });
    const q = s.intervals(T - 3600_000, T + 3600_000, '15m');
    expect(q.map((x) => [x.start, x.in, x.out, x.occupancyMax])).toEqual([
      ['2026-11-28T02:00:00.000Z', 1, 0, 2],
      ['2026-11-28T02:15:00.000Z', 0, 1, 1],
    ]);
    expect(s.intervals(T - 3600_000, T + 3600_000, '1h').map((x) => [x.in, x.out])).toEqual([[1, 1]]);
    expect(s.events(T - 1, T + 3600_000)).toHaveLength(4);
    expect(r.occupancy).toBe(0);
    expect(r.crossings.get('door1')).toEqual({ in: 1, out: 1 });
    expect(r.flush()).toBe(2);
    expect(published.map((p) => [p.start, p.in, p.out])).toEqual([
      ['2026-11-28T02:00:00.000Z', 1, 0],
      ['2026-11-28T02:15:00.000Z', 0, 1],
    ]);
    expect(r.flush()).toBe(0);
    s.close();
  });

  it('counts supplied from outside set the quarter, keep the hour the sum of its quarters, and are published', () => {
    const s = store();
    const published: Array<{ camera: string; start: string; in: number; out: number }> = [];
    const r = new FootfallRecorder({
      store: s,
      occupancy: new Occupancy(),
      publisher: { publish: (rows) => published.push(...rows) },
    });
    r.onCrossing('door1', { trackId: 1, direction: 'in', at: T, cancels: false });
    const q = intervalStart(T, '15m');
    r.putQuarters('door1', [
      { start: q + 15 * 60_000, in: 4, out: 2 },
      { start: q, in: 3, out: 0 },
    ]);
    r.putQuarters('door1', [{ start: q + 15 * 60_000, in: 5, out: 2 }]);
    expect(s.intervals(q, q + 3600_000, '15m').map((x) => [x.in, x.out])).toEqual([
      [3, 0],
      [5, 2],
    ]);
    expect(s.intervals(q, q + 3600_000, '1h').map((x) => [x.in, x.out])).toEqual([[8, 2]]);
    expect(r.flush()).toBe(2);
    expect(published.map((p) => [p.start, p.in])).toEqual([
      ['2026-11-28T02:00:00.000Z', 3],
      ['2026-11-28T02:15:00.000Z', 5],
    ]);
    s.close();
  });

  it('conversion per hour from synced sales, else from the supplied table', async () => {
    const s = store();
    const r = new FootfallRecorder({ store: s, occupancy: new Occupancy() });
    for (let i = 0; i < 4; i++)
      r.onCrossing('door1', { trackId: i, direction: 'in', at: T + i * 1000, cancels: false });
    r.onCrossing('door2', { trackId: 9, direction: 'in', at: T + 3600_000, cancels: false });
    const none = await conversionForDate(s, '2026-11-28', 480);
    expect(none.source).toBe('none');
    expect(none.hours[10]).toEqual({
      hour: 10,
      start: '2026-11-28T02:00:00.000Z',
      label: '10:00',
      entries: 4,
      exits: 0,
      transactions: 0,
      conversion: 0,
    });
    s.setTransactions('2026-11-28', { '10': 2, '11': 1 });
    const table = await conversionForDate(s, '2026-11-28', 480);
    expect(table.source).toBe('transactions-table');
    expect(table.hours[10]!.conversion).toBe(0.5);
    expect(table.hours[11]!.conversion).toBe(1);
    expect(table.hours[12]!.conversion).toBeNull();
    expect(table.conversion).toBe(0.6);
    const facts = await conversionForDate(s, '2026-11-28', 480, async () => [T + 10, T + 20, T + 30]);
    expect(facts.source).toBe('sales-facts');
    expect(facts.hours[10]!.conversion).toBe(0.75);
    await expect(conversionForDate(s, '28/11/2026', 480)).rejects.toThrow(/YYYY-MM-DD/);
    s.close();
  });
});
