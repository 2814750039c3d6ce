// The till's copy of the price rules: one row per rule (its validated JSON body), written by the
// mirror of replicated `promotion` ops and by a manager's markdown on this till. Reads are cached
// per database handle and dropped on every write, because every cart view prices against them
// (a 50-line cart with 1,000 rules must price in a couple of milliseconds; parsing 1,000 JSON
// bodies on each scan would not).
import type { Db } from '../db';
import { parsePriceRule, type PriceRule } from '../pricing';

interface RuleRow {
  id: string;
  origin: 'chain' | 'store';
  body: string;
  updated_at: string;
}

// Dropped by this handle's own writes; `data_version` changes when another connection (a tool,
// a second process on the same file) commits, so those writes are seen too.
const cache = new WeakMap<Db, { version: number; rules: PriceRule[] }>();

/** Every stored rule that still parses (a body from a newer version that does not is skipped). */
export function storedRules(db: Db): PriceRule[] {
  const version = db.pragma('data_version', { simple: true }) as number;
  const hit = cache.get(db);
  let rules = hit && hit.version === version ? hit.rules : undefined;
  if (!rules) {
    rules = [];
    for (const r of db.prepare('SELECT id, origin, body, updated_at FROM price_rules ORDER BY id').all() as RuleRow[]) {
      let value: unknown;
      try {
        value = JSON.parse(r.body);
      } catch {
        continue;
      }
      const parsed = parsePriceRule(value);
      if (parsed.ok && parsed.rule.id === r.id) rules.push(parsed.rule);
    }
    cache.set(db, { version, rules });
  }
  return rules;
}

export function storeRule(db: Db, rule: PriceRule, at: Date): void {
  db.prepare(
    `INSERT INTO price_rules (id, origin, body, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET origin = excluded.origin, body = excluded.body, updated_at = excluded.updated_at`,
  ).run(rule.id, rule.origin, JSON.stringify(rule), at.toISOString());
  cache.delete(db);
}

export function deleteRule(db: Db, id: string): void {
  db.prepare('DELETE FROM price_rules WHERE id = ?').run(id);
  cache.delete(db);
}
