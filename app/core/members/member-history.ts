// The member's history in the store for the panel: last five visits, usual items and the
// repurchase hint. Reads only the member's own sales (indexed by member and time) and at most
// their last 100 visits, so it stays fast on a till with millions of sale lines. Visits at this
// till come from its sales; visits at the store's other tills from their sale facts, mirrored
// into member_visits when they arrive by sync (mirrorMemberVisits).
import type { MemberPanel } from '../../contract';
import type { Db } from '../db';
import { repurchaseDue, usualItems, type Purchase } from './repurchase';

const HISTORY_VISITS = 100;

export function memberHistory(
  db: Db,
  memberId: string,
  now: Date,
): Pick<MemberPanel, 'visits' | 'usualItems' | 'repurchaseDue'> {
  const ids = [
    memberId,
    ...(db.prepare('SELECT from_id FROM member_merges WHERE into_id = ?').all(memberId) as { from_id: string }[]).map(
      (r) => r.from_id,
    ),
  ];
  const marks = ids.map(() => '?').join(',');
  const rows = db
    .prepare(
      `SELECT * FROM (
         SELECT * FROM (SELECT s.id AS saleId, s.number AS number, s.total AS total, s.created_at AS createdAt,
                NULL AS lines
           FROM sale_members sm JOIN sales s ON s.id = sm.sale_id
           WHERE sm.member_id IN (${marks}) ORDER BY sm.created_at DESC LIMIT ${HISTORY_VISITS})
         UNION ALL
         SELECT * FROM (SELECT sale_id, number, total, created_at, lines FROM member_visits
           WHERE member_id IN (${marks}) ORDER BY created_at DESC LIMIT ${HISTORY_VISITS})
       ) ORDER BY createdAt DESC LIMIT ${HISTORY_VISITS}`,
    )
    .all(...ids, ...ids) as (MemberPanel['visits'][number] & { lines: string | null })[];
  const line = db.prepare('SELECT sku, name, name_en FROM sale_lines WHERE sale_id = ?');
  const purchases: Purchase[] = [];
  const visits: MemberPanel['visits'] = [];
  for (const { lines, ...v } of rows) {
    visits.push(v);
    const items = lines ? (JSON.parse(lines) as VisitLine[]) : (line.all(v.saleId) as VisitLine[]);
    for (const l of items)
      purchases.push({ saleId: v.saleId, sku: l.sku, name: l.name, nameEn: l.name_en, at: v.createdAt });
  }
  const usual = usualItems(purchases);
  return { visits: visits.slice(0, 5), usualItems: usual, repurchaseDue: repurchaseDue(usual, now) };
}

interface VisitLine {
  sku: string;
  name: string;
  name_en: string;
}

/**
 * Sale facts of the store's other tills credited to a member → member_visits (in the sync
 * transaction that stores them). This till's own sales are already in sale_members; an erased
 * member's visits are not kept.
 */
export function mirrorMemberVisits(db: Db, facts: readonly { k: string; b: unknown }[]): number {
  const own = db.prepare('SELECT 1 FROM sales WHERE id = ?');
  const erased = db.prepare('SELECT 1 FROM member_erasures WHERE member_id = ?');
  const nameEn = db.prepare('SELECT name_en FROM products WHERE sku = ?');
  const insert = db.prepare(
    `INSERT OR IGNORE INTO member_visits (sale_id, member_id, terminal_id, number, total, created_at, lines)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  let n = 0;
  for (const { k, b: raw } of facts) {
    const b = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : null;
    const memberId = b?.['memberId'];
    const total = b?.['total'];
    const createdAt = b?.['createdAt'];
    if (typeof memberId !== 'string' || !Number.isSafeInteger(total) || typeof createdAt !== 'string') continue;
    if (own.get(k) || erased.get(memberId)) continue;
    const lines: VisitLine[] = [];
    for (const l of Array.isArray(b?.['lines']) ? (b['lines'] as unknown[]) : []) {
      const sku = (l as { sku?: unknown })?.sku;
      const name = (l as { name?: unknown })?.name;
      if (typeof sku !== 'string' || typeof name !== 'string') continue;
      const en = (nameEn.get(sku) as { name_en: string } | undefined)?.name_en ?? name;
      lines.push({ sku, name, name_en: en });
    }
    const terminal = typeof b?.['terminalId'] === 'string' ? (b['terminalId'] as string) : '';
    const number = typeof b?.['number'] === 'string' ? (b['number'] as string) : k;
    n += insert.run(k, memberId, terminal, number, total, createdAt, JSON.stringify(lines)).changes;
  }
  return n;
}
