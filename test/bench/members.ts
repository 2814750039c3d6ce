// Members bench: `npm run bench -- members`. A seeded till (real SQLite file) holding MEMBERS
// replicated members (loaded through the same read model the sync mirror uses) and SALES sales
// of LINES_PER_SALE lines each (2M lines by default), 60 % credited to members; the 100 heaviest
// members have 150 visits each. Prints p50/p99 of:
//   member_code_verify_ms  verifying one member code offline (Ed25519 + payload checks)
//   phone_lookup_ms        exact phone → member id over the keyed-hash identity index
//   member_panel_ms        members.identify {phone} through the RPC router: lookup, audit entry
//                          (fsync'd), panel with last visits, usual items and repurchase hints
//                          (measured on the heaviest members)
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { HybridClock, OpFactory, type Op } from '../../sync/core';
import { generateSigningKeys, signMemberCode, verifyMemberCode } from '../../sync/protocol';
import { openSqlite } from '../../app/core';
import { applyMemberOps, findMemberByIdentity } from '../../app/core/members';
import { openTestCore, PINS } from '../../app/core/test-support';

const MEMBERS = Number(process.env['MEMBERS'] ?? 100_000);
const SALES = Number(process.env['SALES'] ?? 500_000);
const LINES_PER_SALE = Number(process.env['LINES_PER_SALE'] ?? 4);
const RUNS = Number(process.env['RUNS'] ?? 2000);
const HEAVY = 100;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Number(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!.toFixed(3));
};
const phoneOf = (i: number) => `139${String(i).padStart(8, '0')}`;

const t = openTestCore({ memberCodePublicKey: undefined });
const started = Date.now();
const db = openSqlite(join(t.dataDir, 'terminal.db'));
const f = new OpFactory(new HybridClock({ nodeId: 'C0bench', now: () => Date.now() }));
db.transaction(() => {
  let batch: Op[] = [];
  for (let i = 0; i < MEMBERS; i++) {
    const id = `m-${i}`;
    batch.push(
      f.set('store:demo-store', 'member', id, 'name', `会员${i}`),
      f.set('store:demo-store', 'member', id, 'level', i % 10 === 0 ? 'gold' : 'silver'),
      f.identity('store:demo-store', id, 'phone', phoneOf(i)),
      f.addTag('store:demo-store', id, i % 3 === 0 ? 'active' : 'lapsing-30'),
    );
    if (batch.length >= 4000) {
      applyMemberOps(db, batch);
      batch = [];
    }
  }
  applyMemberOps(db, batch);
})();
const loadedMembers = Date.now();

const skus = (
  db.prepare('SELECT sku, name, name_en FROM products LIMIT 200').all() as {
    sku: string;
    name: string;
    name_en: string;
  }[]
).filter(Boolean);
const sale = db.prepare(
  "INSERT INTO sales (id, number, seq, receipt_code, terminal_id, store_id, cashier_id, cashier_name, cashier_role, subtotal, discount, rounding, total, currency, change, created_at) VALUES (?, ?, ?, ?, 'B1', 'demo-store', 'u', 'n', 'cashier', ?, 0, 0, ?, 'CNY', 0, ?)",
);
const line = db.prepare(
  "INSERT INTO sale_lines (sale_id, line_id, position, sku, name, name_en, unit, quantity, weight_grams, unit_price, gross, discount, total, barcode) VALUES (?, ?, ?, ?, ?, ?, 'each', 1, NULL, 500, 500, 0, 500, NULL)",
);
const credit = db.prepare(
  'INSERT INTO sale_members (sale_id, member_id, points_earned, created_at) VALUES (?, ?, 5, ?)',
);
const t0 = Date.parse('2026-01-01T00:00:00Z');
const span = Date.parse('2026-11-28T00:00:00Z') - t0;
db.transaction(() => {
  for (let s = 0; s < SALES; s++) {
    const id = `bench-${String(s).padStart(8, '0')}`;
    const at = new Date(t0 + Math.floor((s / SALES) * span)).toISOString();
    const total = 500 * LINES_PER_SALE;
    sale.run(id, `B1-${s}`, s + 1, `R:bench:${s}`, total, total, at);
    for (let l = 0; l < LINES_PER_SALE; l++) {
      const p = skus[(s * 7 + l * 13) % skus.length]!;
      line.run(id, `l${l}`, l, p.sku, p.name, p.name_en);
    }
    // The heaviest members come back every few days; the rest spread over the others.
    if (s % 10 < 6) {
      const member = s % 20 === 0 ? (s / 20) % HEAVY : HEAVY + (s % (MEMBERS - HEAVY));
      credit.run(id, `m-${member}`, at);
    }
  }
})();
const loadedSales = Date.now();
console.error(
  `loaded ${MEMBERS} members in ${loadedMembers - started} ms, ${SALES} sales × ${LINES_PER_SALE} lines in ${loadedSales - loadedMembers} ms`,
);

// member_code_verify_ms
const keys = generateSigningKeys();
const codes = Array.from({ length: RUNS }, (_, i) => signMemberCode(`m-${i}`, keys.privateKeyPem).code);
for (const c of codes.slice(0, 50)) verifyMemberCode(c, keys.publicKeyPem, Date.now()); // warm-up
const verify: number[] = [];
for (const c of codes) {
  const a = performance.now();
  const r = verifyMemberCode(c, keys.publicKeyPem, Date.now());
  verify.push(performance.now() - a);
  if (!r.ok) throw new Error('bench code did not verify');
}

// phone_lookup_ms
for (let i = 0; i < 50; i++) findMemberByIdentity(db, 'phone', phoneOf(i)); // warm-up
const lookup: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const n = (i * 7919) % MEMBERS;
  const a = performance.now();
  const id = findMemberByIdentity(db, 'phone', phoneOf(n));
  lookup.push(performance.now() - a);
  if (id !== `m-${n}`) throw new Error(`phone lookup found ${id}`);
}
db.close();

// member_panel_ms: through the router, as the till calls it.
const token = await t.login(PINS.cashier);
for (let i = 0; i < 20; i++) await t.ok('members.identify', { phone: phoneOf(i % HEAVY) }, token); // warm-up
const panel: number[] = [];
let visits = 0;
let usual = 0;
for (let i = 0; i < Math.min(RUNS, 500); i++) {
  const a = performance.now();
  const r = await t.ok('members.identify', { phone: phoneOf(i % HEAVY) }, token);
  panel.push(performance.now() - a);
  visits = r.member.visits.length;
  usual = r.member.usualItems.length;
}
t.core.close();
rmSync(t.dataDir, { recursive: true, force: true });

console.log(
  JSON.stringify({
    suite: 'members',
    members: MEMBERS,
    saleLines: SALES * LINES_PER_SALE,
    member_code_verify_ms: { p50: pct(verify, 50), p99: pct(verify, 99) },
    phone_lookup_ms: { p50: pct(lookup, 50), p99: pct(lookup, 99) },
    member_panel_ms: { p50: pct(panel, 50), p99: pct(panel, 99), visitsShown: visits, usualItems: usual },
    targets: { member_code_verify_ms_p99: 2, phone_lookup_ms_p99: 5, member_panel_ms_p99: 50 },
  }),
);
