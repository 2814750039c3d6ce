// Stored value (储值) and points as money at the till. A top-up is paid (cash, card, payment
// code), earns the configured bonus tier and is written as ledger rows with principal and bonus
// apart; a sale pays from the balance only with the member present (a member code scanned on
// this till in the last 15 minutes, or the member's PIN); a return puts it back. Points pay at
// the store's rate through the points ledger. Every row replicates as an immutable fact (stored
// value) or a points op, so tills, hub and cloud converge and nothing counts twice.
//
// Online, the store hub holds the amount before the sale commits (hub-holds.ts), so two tills
// cannot spend the same yuan or point within one sync window. Offline (the hub does not answer)
// a till cannot know what other tills spent, so it spends at most what it last saw, and stored
// value at most `offlineDailyCapFen` per member per store day; a balance that a merge takes
// below zero is flagged to the manager (storedValue.report), with the sales that did it.
import {
  PosError,
  type CartMember,
  type StaffView,
  type StoredValueBalance,
  type StoredValueFlag,
  type StoredValueReport,
  type TenderInput,
  type TenderRecord,
  type TillConfig,
  type TopUpResult,
} from '../../contract';
import type { Op } from '../../../sync/core';
import { hashPin, verifyPin } from '../auth';
import { writeAudit } from '../audit';
import { readTillConfig } from '../config';
import type { CoreContext } from '../context';
import type { Db } from '../db';
import { localDateOf } from '../footfall-math';
import { uuidv7 } from '../ids';
import { memberGroup, memberPanel, mergedMemberIds, readMember, writePointsEntry } from '../members';
import { PaymentGatewayUnreachable, planTenders, requirePaymentCodeWallet } from '../payment';
import { replicationFor } from '../replication';
import { recordCashInTx } from '../shift';
import { bonusFor, splitRefund, splitSpend, type Split } from './stored-value-math';
import { endHubHolds, hasHubLink, holdAtHub, type HubHoldAnswer } from './hub-holds';
import {
  balanceOf,
  dayTotals,
  insertEntry,
  balancesByMember,
  offlineSpentOn,
  pinHashOf,
  putPin,
  saleSplits,
  spendsOf,
  type EntryRow,
} from './stored-value-store';

const PRESENT_MS = 15 * 60_000;
const PIN_TRIES = 5;
const PIN_LOCK_MS = 15 * 60_000;

const present = new WeakMap<Db, Map<string, { until: number; cartId: string | null }>>();
const pinFails = new WeakMap<Db, Map<string, { n: number; until: number }>>();

const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;

/**
 * A member code was scanned on this till: the member is present for one stored-value payment on
 * this cart (the open cart at the scan; null = the next cart that pays), within 15 minutes.
 * Bound to the cart and used up by the payment, so a code scanned for one sale cannot pay another.
 */
export function markMemberPresent(ctx: CoreContext, memberId: string, cartId: string | null): void {
  const m = present.get(ctx.db) ?? new Map<string, { until: number; cartId: string | null }>();
  present.set(ctx.db, m);
  m.set(memberGroup(ctx.db, memberId)[0]!, { until: ctx.clock().getTime() + PRESENT_MS, cartId });
}

function storeDayOf(cfg: TillConfig, at: Date): string {
  return localDateOf(cfg.timeZone, at.getTime());
}

function config(ctx: CoreContext): TillConfig {
  return readTillConfig(ctx.db, ctx.storeId, ctx.terminalId);
}

/** Appends a ledger row and its fact (same transaction). */
function writeEntry(ctx: CoreContext, e: EntryRow): void {
  insertEntry(ctx.db, e);
  replicationFor(ctx.db)?.fact('stored_value', e.id, { entry: e.kind, ...e });
}

export function balanceView(ctx: CoreContext, memberId: string): StoredValueBalance {
  const group = memberGroup(ctx.db, memberId);
  const cfg = config(ctx);
  const b = balanceOf(ctx.db, group);
  const points = readMember(ctx.db, group[0]!).points;
  return {
    memberId: group[0]!,
    principal: b.principal,
    bonus: b.bonus,
    balance: b.principal + b.bonus,
    points,
    pointsValue: Math.max(0, points) * cfg.pointsRedemption.fenPerPoint,
    pinSet: pinHashOf(ctx.db, group) !== null,
    offlineSpentToday: offlineSpentOn(ctx.db, group, storeDayOf(cfg, ctx.clock())),
    offlineDailyCap: cfg.storedValue.offlineDailyCapFen,
  };
}

export interface TopUpInput {
  memberId: string;
  amount: number;
  tenders: TenderInput[];
  pin?: string;
}

/** 储值充值: takes the money (payment codes charged first), then ONE transaction writes the ledger row, cash in the drawer and the audit entry. */
export async function topUp(ctx: CoreContext, staff: StaffView, input: TopUpInput): Promise<TopUpResult> {
  memberPanel(ctx, input.memberId); // a known, not erased member (throws MEMBER_NOT_FOUND)
  const cfg = config(ctx);
  const sv = cfg.storedValue;
  if (input.amount < sv.minTopUp || input.amount > sv.maxTopUp)
    throw new PosError('BAD_INPUT', {
      reason: 'schema',
      fields: `amount ${yuan(sv.minTopUp)}–${yuan(sv.maxTopUp)}`,
    });
  const plan = planTenders(input.amount, input.tenders, { mode: 'none', unit: 1 });
  const id = uuidv7(ctx.clock());
  const records: TenderRecord[] = [];
  const charged: { outTradeNo: string; wallet: 'wechat' | 'alipay' }[] = [];
  const reverseAll = async () => {
    for (const c of charged) await ctx.paymentProvider.reverse(c).catch(() => undefined);
  };
  try {
    for (const [i, p] of plan.tenders.entries()) {
      const t = p.input;
      // A card top-up creates spendable money on the cashier's word alone: the bank terminal's
      // approval code is required, so the statement can be matched against it.
      if (t.type === 'card' && !t.reference) throw new PosError('TENDER_INVALID', { reason: 'card-reference' });
      if (t.type === 'cash' || t.type === 'card') {
        records.push({
          type: t.type,
          amount: p.amount,
          tendered: p.tendered,
          reference: t.type === 'card' ? (t.reference ?? null) : null,
          provider: t.type === 'card' ? 'external-card-terminal' : null,
        });
        continue;
      }
      if (t.type !== 'payment_code') throw new PosError('TENDER_INVALID', { reason: 'top-up-tender' });
      const wallet = requirePaymentCodeWallet(t.code);
      const outTradeNo = `${id.replace(/-/g, '').slice(0, 30)}${String(i).padStart(2, '0')}`;
      let r;
      try {
        r = await ctx.paymentProvider.charge({ code: t.code, amount: p.amount, saleId: id, wallet, outTradeNo });
      } catch (err) {
        if (err instanceof PaymentGatewayUnreachable) throw new PosError('PAYMENT_OFFLINE', { wallet });
        r = { status: 'unknown' as const, transactionId: null };
      }
      if (r.status !== 'approved' || !r.transactionId) {
        // A top-up does not wait for a customer who is still confirming: the order is reversed
        // (any money taken goes back) and the cashier asks again.
        if (r.status !== 'declined') await ctx.paymentProvider.reverse({ outTradeNo, wallet }).catch(() => undefined);
        throw new PosError('PAYMENT_DECLINED', { reason: r.status === 'declined' ? undefined : 'cancelled', wallet });
      }
      charged.push({ outTradeNo, wallet });
      records.push({
        type: 'payment_code',
        amount: p.amount,
        tendered: p.tendered,
        reference: r.transactionId,
        provider: `${wallet}-${ctx.paymentProvider.name}`,
      });
    }
  } catch (err) {
    await reverseAll();
    throw err;
  }
  const bonus = bonusFor(input.amount, sv.bonusRules);
  const pinHash = input.pin ? hashPin(input.pin, ctx.pinScryptN) : null;
  const now = ctx.clock();
  try {
    ctx.db.transaction(() => {
      const memberId = memberGroup(ctx.db, input.memberId)[0]!;
      writeEntry(ctx, {
        id,
        memberId,
        kind: 'topup',
        principal: input.amount,
        bonus,
        ref: id,
        terminalId: ctx.terminalId,
        storeDay: storeDayOf(cfg, now),
        offline: false,
        createdAt: now.toISOString(),
      });
      const cash = records.filter((r) => r.type === 'cash').reduce((s, r) => s + r.amount, 0);
      if (cash > 0) recordCashInTx(ctx, staff, cash, `储值充值 stored-value top-up ${id}`, now);
      if (pinHash) {
        const pinId = uuidv7(now);
        putPin(ctx.db, memberId, pinId, pinHash, now.toISOString());
        replicationFor(ctx.db)?.fact('stored_value', pinId, {
          entry: 'pin',
          memberId,
          hash: pinHash,
          setAt: now.toISOString(),
        });
      }
      writeAudit(ctx.db, ctx.terminalId, now, {
        action: 'member.topUp',
        staffId: staff.id,
        detail: { topUpId: id, memberId, amount: input.amount, bonus, tenders: records.map((r) => r.type) },
      });
    })();
  } catch (err) {
    await reverseAll();
    throw err;
  }
  ctx.logger.info({ topUpId: id, amount: input.amount, bonus }, 'stored value topped up');
  return { topUpId: id, amount: input.amount, bonus, tenders: records, balance: balanceView(ctx, input.memberId) };
}

/** What the loyalty tenders of one payment will write, checked before any payment code is charged. */
export interface LoyaltyPlan {
  memberId: string | null;
  storedValue: { amount: number; offline: boolean } | null;
  points: { amount: number; points: number } | null;
}

async function checkPresent(
  ctx: CoreContext,
  cartId: string,
  memberId: string,
  group: string[],
  memberPin?: string,
): Promise<void> {
  const seen = present.get(ctx.db)?.get(memberId);
  if (memberPin === undefined) {
    if (seen && seen.until >= ctx.clock().getTime() && (seen.cartId === null || seen.cartId === cartId)) return;
    throw new PosError('STORED_VALUE_REFUSED', { reason: 'not-present' });
  }
  const hash = pinHashOf(ctx.db, group);
  if (!hash) throw new PosError('STORED_VALUE_REFUSED', { reason: 'no-pin' });
  const fails = pinFails.get(ctx.db) ?? new Map<string, { n: number; until: number }>();
  pinFails.set(ctx.db, fails);
  const now = ctx.clock().getTime();
  const f = fails.get(memberId);
  if (f && f.n >= PIN_TRIES && f.until > now) throw new PosError('LOCKED_OUT', { reason: 'member-pin' });
  if (!(await verifyPin(memberPin, hash))) {
    const n = f && f.until > now ? f.n + 1 : 1;
    fails.set(memberId, { n, until: now + PIN_LOCK_MS });
    throw new PosError('STORED_VALUE_REFUSED', { reason: 'wrong-pin' });
  }
  fails.delete(memberId);
}

/**
 * Checks the stored-value and points tenders of a payment: the member is on the cart (and
 * present, for stored value), the balance covers it, offline within the daily cap. Throws a
 * coded refusal; returns what to write in the sale's transaction.
 */
export async function planLoyaltyTenders(
  ctx: CoreContext,
  cartId: string,
  member: CartMember | null,
  tenders: readonly TenderInput[],
): Promise<LoyaltyPlan> {
  const sv = tenders.filter((t) => t.type === 'stored_value');
  const pts = tenders.filter((t) => t.type === 'points');
  const plan: LoyaltyPlan = { memberId: null, storedValue: null, points: null };
  if (sv.length === 0 && pts.length === 0) return plan;
  if (sv.length > 1) throw new PosError('STORED_VALUE_REFUSED', { reason: 'one-tender' });
  if (pts.length > 1) throw new PosError('POINTS_REFUSED', { reason: 'one-tender' });
  if (!member) throw new PosError(sv.length ? 'STORED_VALUE_REFUSED' : 'POINTS_REFUSED', { reason: 'no-member' });
  const group = memberGroup(ctx.db, member.id);
  const memberId = group[0]!;
  plan.memberId = memberId;
  const cfg = config(ctx);
  const s = sv[0];
  if (s && s.type === 'stored_value') {
    await checkPresent(ctx, cartId, memberId, group, s.memberPin);
    // Without a hub every spend is offline; with one, the hub's hold decides (holdLoyaltyTenders).
    plan.storedValue = { amount: s.amount, offline: !hasHubLink(ctx.db) };
    assertStoredValueCovers(ctx, cfg, group, plan.storedValue);
  }
  const p = pts[0];
  if (p && p.type === 'points') {
    plan.points = { amount: p.amount, points: pointsFor(cfg, p.amount) };
    assertPointsCover(ctx, cfg, memberId, plan.points.points);
  }
  return plan;
}

function pointsFor(cfg: TillConfig, amount: number): number {
  const rate = cfg.pointsRedemption.fenPerPoint;
  if (amount % rate !== 0) throw new PosError('POINTS_REFUSED', { reason: 'not-whole', stepYuan: yuan(rate) });
  return amount / rate;
}

function assertStoredValueCovers(
  ctx: CoreContext,
  cfg: TillConfig,
  group: string[],
  s: { amount: number; offline: boolean },
): void {
  const b = balanceOf(ctx.db, group);
  const balance = b.principal + b.bonus;
  if (s.amount > balance)
    throw new PosError('STORED_VALUE_REFUSED', {
      reason: 'insufficient',
      balance,
      balanceYuan: yuan(Math.max(0, balance)),
    });
  if (s.offline) {
    const cap = cfg.storedValue.offlineDailyCapFen;
    const spent = offlineSpentOn(ctx.db, group, storeDayOf(cfg, ctx.clock()));
    if (spent + s.amount > cap)
      throw new PosError('STORED_VALUE_REFUSED', {
        reason: 'offline-cap',
        cap,
        spent,
        capYuan: yuan(cap),
        spentYuan: yuan(spent),
      });
  }
}

function assertPointsCover(ctx: CoreContext, cfg: TillConfig, memberId: string, points: number): void {
  const have = readMember(ctx.db, memberId).points;
  if (points > have)
    throw new PosError('POINTS_REFUSED', {
      reason: 'insufficient',
      points: Math.max(0, have),
      maxYuan: yuan(Math.max(0, have) * cfg.pointsRedemption.fenPerPoint),
    });
}

/**
 * Online, the store hub holds this payment's stored value and points for the cart (spent once
 * across the store's tills); a hub that does not answer makes it an offline spend (daily cap).
 * Throws a coded refusal, releasing what it held, when the hub says the money is not there.
 */
export async function holdLoyaltyTenders(
  ctx: CoreContext,
  plan: LoyaltyPlan,
  cartId: string,
  saleId: string,
): Promise<void> {
  if (!plan.memberId || !hasHubLink(ctx.db)) return;
  const group = memberGroup(ctx.db, plan.memberId);
  const memberIds = group.slice(0, 20);
  const cfg = config(ctx);
  const refuse = async (a: Extract<HubHoldAnswer, { result: 'refused' }>, err: PosError): Promise<never> => {
    await endHubHolds(ctx.db, cartId, 'release');
    ctx.logger.info({ cartId, held: a.held, heldBy: a.heldBy }, 'loyalty hold refused by the hub');
    throw err;
  };
  if (plan.storedValue) {
    const b = balanceOf(ctx.db, group);
    const amount = plan.storedValue.amount;
    const a = await holdAtHub(
      ctx.db,
      { kind: 'stored_value', memberIds, amount, cartId, saleId },
      b.principal + b.bonus,
    );
    if (a.result === 'refused')
      await refuse(
        a,
        a.held > 0 && a.balance >= amount
          ? new PosError('STORED_VALUE_REFUSED', {
              reason: 'held-elsewhere',
              terminalId: a.heldBy.join(', '),
              available: a.available,
              availableYuan: yuan(a.available),
            })
          : new PosError('STORED_VALUE_REFUSED', {
              reason: 'insufficient',
              balance: a.balance,
              balanceYuan: yuan(Math.max(0, a.balance)),
            }),
      );
    plan.storedValue.offline = a.result === 'offline';
    // The hub did not answer: the daily offline cap applies after all.
    if (plan.storedValue.offline) assertStoredValueCovers(ctx, cfg, group, plan.storedValue);
  }
  if (plan.points) {
    const have = readMember(ctx.db, plan.memberId).points;
    const amount = plan.points.points;
    const a = await holdAtHub(ctx.db, { kind: 'points', memberIds, amount, cartId, saleId }, have);
    if (a.result === 'refused') {
      const rate = cfg.pointsRedemption.fenPerPoint;
      await refuse(
        a,
        a.held > 0 && a.balance >= amount
          ? new PosError('POINTS_REFUSED', {
              reason: 'held-elsewhere',
              terminalId: a.heldBy.join(', '),
              points: a.available,
              maxYuan: yuan(a.available * rate),
            })
          : new PosError('POINTS_REFUSED', {
              reason: 'insufficient',
              points: Math.max(0, a.balance),
              maxYuan: yuan(Math.max(0, a.balance) * rate),
            }),
      );
    }
  }
}

/** The cart's hub holds end: confirmed after its sale committed, released when it will not be paid. */
export function endLoyaltyHolds(ctx: CoreContext, cartId: string, action: 'confirm' | 'release'): Promise<void> {
  return endHubHolds(ctx.db, cartId, action).catch((err: unknown) => {
    ctx.logger.warn({ err, cartId, action }, 'loyalty hold not ended at the hub (it lapses there)');
  });
}

/** The tender records of the loyalty tenders (same order as the input). */
export function loyaltyRecord(plan: LoyaltyPlan, t: TenderInput): TenderRecord | null {
  if (t.type === 'stored_value')
    return { type: 'stored_value', amount: t.amount, tendered: t.amount, reference: plan.memberId, provider: null };
  if (t.type === 'points')
    return {
      type: 'points',
      amount: t.amount,
      tendered: t.amount,
      reference: String(plan.points?.points ?? 0),
      provider: null,
    };
  return null;
}

/** Inside the sale's transaction: re-checks the balances (nothing was spent meanwhile) and writes the ledger. */
export function commitLoyaltyTenders(ctx: CoreContext, plan: LoyaltyPlan, saleId: string, now: Date): void {
  if (!plan.memberId) return;
  const cfg = config(ctx);
  const group = memberGroup(ctx.db, plan.memberId);
  if (plan.storedValue) {
    assertStoredValueCovers(ctx, cfg, group, plan.storedValue);
    const take = splitSpend(plan.storedValue.amount, balanceOf(ctx.db, group));
    present.get(ctx.db)?.delete(plan.memberId); // a scanned code pays once
    writeEntry(ctx, {
      id: uuidv7(now),
      memberId: plan.memberId,
      kind: 'spend',
      principal: -take.principal,
      bonus: -take.bonus,
      ref: saleId,
      terminalId: ctx.terminalId,
      storeDay: storeDayOf(cfg, now),
      offline: plan.storedValue.offline,
      createdAt: now.toISOString(),
    });
  }
  if (plan.points) {
    assertPointsCover(ctx, cfg, plan.memberId, plan.points.points);
    writePointsEntry(ctx, plan.memberId, -plan.points.points, 'redeem', saleId);
  }
}

/** Inside a return's transaction: stored value and points refunded by it go back to the member. */
export function refundLoyaltyTenders(
  ctx: CoreContext,
  saleId: string,
  refunds: { type: TenderRecord['type']; amount: number; saleTender: TenderRecord }[],
  now: Date,
): void {
  const cfg = config(ctx);
  for (const r of refunds) {
    if (r.amount <= 0) continue;
    if (r.type === 'stored_value') {
      const s = saleSplits(ctx.db, saleId);
      if (!s) continue;
      const back: Split = splitRefund(r.amount, s.spent, s.back);
      writeEntry(ctx, {
        id: uuidv7(now),
        memberId: s.memberId,
        kind: 'refund',
        principal: back.principal,
        bonus: back.bonus,
        ref: saleId,
        terminalId: ctx.terminalId,
        storeDay: storeDayOf(cfg, now),
        offline: false,
        createdAt: now.toISOString(),
      });
    } else if (r.type === 'points') {
      const member = saleMemberOf(ctx.db, saleId);
      const spentPoints = Number(r.saleTender.reference ?? '0');
      if (!member || !(spentPoints > 0)) continue;
      // The sale's own rate (points per fen of that tender), the last refund settling the rest.
      const points = Math.round((spentPoints * r.amount) / r.saleTender.amount);
      writePointsEntry(ctx, member, points, 'redeem-return', saleId);
    }
  }
}

function saleMemberOf(db: Db, saleId: string): string | null {
  const r = db.prepare('SELECT member_id FROM sale_members WHERE sale_id = ?').get(saleId) as
    { member_id: string } | undefined;
  return r?.member_id ?? null;
}

/** Stored-value facts from other replicas (inside the sync transaction that stores them). */
export function applyStoredValueOps(db: Db, ops: readonly Op[]): void {
  for (const o of ops) {
    if (o.t !== 'fact' || o.e !== 'stored_value') continue;
    const b = o.b as Record<string, unknown>;
    if (b['entry'] === 'pin') {
      if (typeof b['memberId'] === 'string' && typeof b['hash'] === 'string' && typeof b['setAt'] === 'string')
        putPin(db, b['memberId'], o.k, b['hash'], b['setAt']);
      continue;
    }
    const kind = b['kind'];
    const int = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) ? v : null);
    const principal = int(b['principal']);
    const bonus = int(b['bonus']);
    const str = (v: unknown) => (typeof v === 'string' && v.length > 0 && v.length <= 200 ? v : null);
    const memberId = str(b['memberId']);
    if (
      (kind !== 'topup' && kind !== 'spend' && kind !== 'refund') ||
      principal === null ||
      bonus === null ||
      !memberId
    )
      continue;
    insertEntry(db, {
      id: o.k,
      memberId,
      kind,
      principal,
      bonus,
      ref: str(b['ref']) ?? o.k,
      terminalId: str(b['terminalId']) ?? '?',
      storeDay: str(b['storeDay']) ?? '',
      offline: b['offline'] === true,
      createdAt: str(b['createdAt']) ?? '',
    });
  }
}

/** Back office: the store's outstanding stored value (principal vs bonus) and the flagged balances. */
export function storedValueReport(ctx: CoreContext): StoredValueReport {
  const cfg = config(ctx);
  // One pass over the ledger, folded per One-ID group (only merged ids need a lookup).
  const merged = mergedMemberIds(ctx.db);
  const byRoot = new Map<string, Split>();
  for (const r of balancesByMember(ctx.db)) {
    const root = merged.has(r.memberId) ? memberGroup(ctx.db, r.memberId)[0]! : r.memberId;
    const cur = byRoot.get(root) ?? { principal: 0, bonus: 0 };
    byRoot.set(root, { principal: cur.principal + r.principal, bonus: cur.bonus + r.bonus });
  }
  let principal = 0;
  let bonus = 0;
  let members = 0;
  const flagged: StoredValueFlag[] = [];
  for (const [root, b] of [...byRoot].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
    if (b.principal + b.bonus > 0) {
      principal += Math.max(0, b.principal);
      bonus += Math.max(0, b.bonus);
      members++;
    }
    if (b.principal + b.bonus < 0) {
      const spends = spendsOf(ctx.db, memberGroup(ctx.db, root));
      const lastDay = spends[spends.length - 1]?.store_day;
      flagged.push({
        kind: 'stored_value',
        memberId: root,
        maskedName: readMember(ctx.db, root).maskedName,
        balance: b.principal + b.bonus,
        sales: spends
          .filter((s) => s.store_day === lastDay)
          .map((s) => ({ saleId: s.ref, terminalId: s.terminal_id, amount: s.amount, at: s.created_at })),
      });
    }
  }
  // Points overdrawn: members whose points went below zero after redemptions merged.
  const redeemers = ctx.db.prepare("SELECT DISTINCT member_id FROM member_points WHERE reason = 'redeem'").all() as {
    member_id: string;
  }[];
  for (const root of new Set(redeemers.map((r) => memberGroup(ctx.db, r.member_id)[0]!))) {
    const rec = readMember(ctx.db, root);
    if (rec.points >= 0) continue;
    const group = memberGroup(ctx.db, root);
    const rows = ctx.db
      .prepare(
        `SELECT ref, -delta AS points FROM member_points WHERE reason = 'redeem' AND member_id IN (${group.map(() => '?').join(',')}) ORDER BY op_id`,
      )
      .all(...group) as { ref: string; points: number }[];
    flagged.push({
      kind: 'points',
      memberId: root,
      maskedName: rec.maskedName,
      balance: rec.points,
      sales: rows.map((r) => ({ saleId: r.ref, terminalId: '', amount: r.points, at: '' })),
    });
  }
  const today = dayTotals(ctx.db, storeDayOf(cfg, ctx.clock()));
  return { principal, bonus, members, toppedUpToday: today.toppedUp, spentToday: today.spent, flagged };
}
