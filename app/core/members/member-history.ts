// The member's history at this till for the panel: last five visits, usual items and the
// repurchase hint. Reads only the member's own sales (indexed by member and time) and at most
// their last 100 visits, so it stays fast on a till with millions of sale lines.
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
  const visits = db
    .prepare(
      `SELECT s.id AS saleId, s.number AS number, s.total AS total, s.created_at AS createdAt
       FROM sale_members sm JOIN sales s ON s.id = sm.sale_id
       WHERE sm.member_id IN (${marks}) ORDER BY sm.created_at DESC LIMIT ${HISTORY_VISITS}`,
    )
    .all(...ids) as MemberPanel['visits'];
  const line = db.prepare('SELECT sku, name, name_en FROM sale_lines WHERE sale_id = ?');
  const purchases: Purchase[] = [];
  for (const v of visits)
    for (const l of line.all(v.saleId) as { sku: string; name: string; name_en: string }[])
      purchases.push({ saleId: v.saleId, sku: l.sku, name: l.name, nameEn: l.name_en, at: v.createdAt });
  const usual = usualItems(purchases);
  return { visits: visits.slice(0, 5), usualItems: usual, repurchaseDue: repurchaseDue(usual, now) };
}
