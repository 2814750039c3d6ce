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

const cache = new WeakMap<Db, PriceRule[]>();

/** Every stored rule that still parses (a body from a newer version that does not is skipped). */
export function storedRules(db: Db): PriceRule[] {
  let rules = cache.get(db);
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
    cache.set(db, rules);
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
