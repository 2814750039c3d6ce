// The agent's /conversion transactions from the hub replica's sale facts: a real SQLite replica
// holding two tills' sales (one re-delivered), a return and a sale of the previous local day.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HybridClock, OpFactory, SqliteSyncStorage } from '../../sync';
import { uuidv7 } from '../../app/core/ids';
import { Occupancy } from '../counting';
import { AgentStore, conversionForDate, FootfallRecorder } from '../footfall';
import { hubSaleTimes } from './sync-bridge';

describe('hubSaleTimes', () => {
  it('counts each synced sale once in its local hour, never a return; falls back to PUT hours without sale facts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-sales-'));
    const db = new Database(join(dir, 'hub.db'));
    const agent = new AgentStore(join(dir, 'agent.db'));
    try {
      const storage = new SqliteSyncStorage(db);
      const read = hubSaleTimes(storage, 'S1');
      const rec = new FootfallRecorder({ store: agent, occupancy: new Occupancy() });
      const at = (iso: string) => Date.parse(iso);
      for (let i = 0; i < 5; i++)
        rec.onCrossing('door1', { trackId: i, direction: 'in', at: at('2026-11-28T02:10:00Z') + i, cancels: false });
      for (let i = 0; i < 3; i++)
        rec.onCrossing('door2', { trackId: i, direction: 'in', at: at('2026-11-28T02:40:00Z') + i, cancels: false });
      agent.setTransactions('2026-11-28', { '10': 7 });
      // No sale facts yet: the supplied table answers.
      expect(await read(at('2026-11-27T16:00:00Z'), at('2026-11-28T16:00:00Z'))).toBeUndefined();
      expect((await conversionForDate(agent, '2026-11-28', 480, read)).source).toBe('transactions-table');

      const till = (node: string) =>
        new OpFactory(new HybridClock({ nodeId: node, now: () => at('2026-11-28T06:00:00Z') }));
      const t1 = till('T01');
      const t2 = till('T02');
      const sale = (f: OpFactory, iso: string) =>
        f.fact('store:S1', 'sale', uuidv7(at(iso)), { createdAt: iso, total: 100 });
      const s1 = sale(t1, '2026-11-28T02:05:00Z'); // 10:05 Shanghai
      const ops = [
        s1,
        sale(t2, '2026-11-28T02:50:00Z'),
        sale(t2, '2026-11-27T15:59:00Z') /* 23:59 the day before */,
        t2.fact('store:S1', 'return', uuidv7(at('2026-11-28T02:30:00Z')), { createdAt: '2026-11-28T02:30:00Z' }),
        t1.fact('store:S2', 'sale', uuidv7(at('2026-11-28T02:06:00Z')), { createdAt: '2026-11-28T02:06:00Z' }),
      ];
      await storage.apply(ops, 'T');
      await storage.apply([s1, t1.fact('store:S1', 'sale', s1.k, { createdAt: '2026-11-28T02:06:00Z' })], 'cloud');
      const c = await conversionForDate(agent, '2026-11-28', 480, read);
      expect(c.source).toBe('sales-facts');
      expect(c.hours[10]).toMatchObject({ label: '10:00', entries: 8, transactions: 2, conversion: 0.25 });
      expect(c.transactions).toBe(2);
      const before = await conversionForDate(agent, '2026-11-27', 480, read);
      expect(before.hours[23]).toMatchObject({ transactions: 1, entries: 0, conversion: null });
    } finally {
      db.close();
      agent.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
