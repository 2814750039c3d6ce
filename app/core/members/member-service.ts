// Members at the till: identify by member code (verified offline with the chain's key, each
// code once) or by phone (this store's members offline, others through the cloud), sign up
// with consent, attach a member to the cart, credit a sale with points in the sale's own
// transaction and take points back on a return. Phone numbers never reach a log or audit entry
// unmasked.
import {
  PosError,
  type Cart,
  type CartMember,
  type MemberConsent,
  type MemberPanel,
  type StaffView,
} from '../../contract';
import { HybridClock, OpFactory, tillNodeId, type Op } from '../../../sync/core';
import {
  MemberLookupError,
  verifyMemberCode,
  type MemberLookupQuery,
  type MemberLookupResult,
  type MemberSummary,
} from '../../../sync/protocol';
import { writeAudit } from '../audit';
import { cartChanged, ensureOpenCart, setCartMemberRow, touchCart } from '../cart';
import { readTillConfig } from '../config';
import type { CoreContext } from '../context';
import type { Db } from '../db';
import { uuidv7 } from '../ids';
import { replicationFor } from '../replication';
import { maskPhone, normalizePhone } from './member-masking';
import {
  applyMemberOps,
  canonicalMember,
  findByIdentity,
  insertSaleMember,
  readMember,
  saleMemberRow,
  useNonce,
  type MemberRecord,
} from './member-store';
import { memberHistory } from './member-history';
import { keepOfflineMemberOps } from './offline-member-ops';
import { pointsForSale, pointsToTakeBack } from './points-rule';

export interface MemberLookupDeps {
  /** The chain's public key (PEM) that signs member codes; null before the till has paired. */
  chainPublicKey(): string | null;
  /** On-demand cloud lookup for members of other stores; null when sync is off. */
  lookupRemote: ((q: MemberLookupQuery) => Promise<MemberLookupResult>) | null;
  /**
   * Records a member code's nonce at the store hub so no other till of the store takes it
   * (sync/hub/member-code-uses.ts); null when the till has no hub. 'offline': the till's own
   * nonce table is all there is.
   */
  useCodeAtHub?:
    | ((code: {
        nonce: string;
        memberId: string;
        expiresAt: number;
      }) => Promise<{ result: 'fresh' } | { result: 'replayed'; terminalId: string } | { result: 'offline' }>)
    | null;
}

const localFactories = new WeakMap<CoreContext, OpFactory>();

/**
 * Member ops go to the outbox when sync is on, and wait in the kv table for sync to start when it
 * is off (offline-member-ops.ts); either way they update this till's member tables.
 */
function writeMemberOps(ctx: CoreContext, build: (ops: OpFactory, scope: string) => Op[]): void {
  const sink = replicationFor(ctx.db);
  let ops: Op[];
  if (sink?.memberOps) ops = sink.memberOps(build);
  else {
    let f = localFactories.get(ctx);
    if (!f) {
      f = new OpFactory(
        new HybridClock({ nodeId: `${tillNodeId(ctx.storeId, ctx.terminalId)}_m`, now: () => ctx.clock().getTime() }),
      );
      localFactories.set(ctx, f);
    }
    ops = build(f, `store:${ctx.storeId}`);
    // Kept whole for the other tills: the member tables hold only masked and hashed values.
    keepOfflineMemberOps(ctx.db, ops, ctx.clock());
  }
  applyMemberOps(ctx.db, ops);
}

// Another store's members, as the cloud answered them, for cart.setMember right after identify.
const remoteSeen = new Map<string, { at: number; summary: MemberSummary }>();
const REMOTE_TTL_MS = 10 * 60_000;

function remember(summary: MemberSummary, now: number): void {
  for (const [k, v] of remoteSeen) if (v.at < now - REMOTE_TTL_MS) remoteSeen.delete(k);
  remoteSeen.set(summary.id, { at: now, summary });
}

function panelOf(ctx: CoreContext, rec: MemberRecord): MemberPanel {
  return {
    id: rec.id,
    maskedName: rec.maskedName,
    maskedPhone: rec.maskedPhone,
    level: rec.level,
    points: rec.points,
    tags: rec.tags,
    consent: rec.consent,
    wecomLinked: rec.wecomLinked,
    local: true,
    ...memberHistory(ctx.db, rec.id, ctx.clock()),
  };
}

function remotePanel(s: MemberSummary, maskedPhone: string | null): MemberPanel {
  return {
    id: s.id,
    maskedName: s.displayName,
    maskedPhone,
    level: s.level,
    points: s.points,
    tags: s.tags,
    consent: s.consent,
    wecomLinked: false,
    local: false,
    visits: [],
    usualItems: [],
    repurchaseDue: [],
  };
}

async function remoteLookup(
  ctx: CoreContext,
  deps: MemberLookupDeps,
  q: MemberLookupQuery,
  reason: 'phone' | 'code',
): Promise<MemberPanel> {
  if (!deps.lookupRemote) throw new PosError('MEMBER_NOT_FOUND', { reason });
  let r: MemberLookupResult;
  try {
    r = await deps.lookupRemote(q);
  } catch (err) {
    if (err instanceof MemberLookupError && err.code === 'OFFLINE') throw new PosError('MEMBER_LOOKUP_OFFLINE');
    throw new PosError('MEMBER_LOOKUP_OFFLINE', { reason: 'refused' });
  }
  if (!r.found) throw new PosError('MEMBER_NOT_FOUND', { reason });
  remember(r.member, ctx.clock().getTime());
  return remotePanel(r.member, q.type === 'phone' ? maskPhone(q.value) : null);
}

function audit(ctx: CoreContext, staff: StaffView, action: string, detail: Record<string, unknown>): void {
  ctx.db.transaction(() => writeAudit(ctx.db, ctx.terminalId, ctx.clock(), { action, staffId: staff.id, detail }))();
}

/** A scanned member code → the member (the code's nonce is used up on this till and, through the hub, the store). */
export async function identifyByCode(
  ctx: CoreContext,
  deps: MemberLookupDeps,
  staff: StaffView,
  code: string,
): Promise<MemberPanel> {
  const key = deps.chainPublicKey();
  if (!key) throw new PosError('MEMBER_CODE_INVALID', { reason: 'no-key' });
  const now = ctx.clock().getTime();
  const check = verifyMemberCode(code, key, now);
  if (!check.ok)
    throw new PosError('MEMBER_CODE_INVALID', {
      reason: check.reason,
      ...(check.expiredMsAgo !== undefined ? { secondsAgo: Math.round(check.expiredMsAgo / 1000) } : {}),
    });
  const fresh = ctx.db.transaction(() => useNonce(ctx.db, check.nonce, check.memberId, check.expiresAt, now))();
  if (!fresh) throw new PosError('MEMBER_CODE_INVALID', { reason: 'replayed' });
  const hub = deps.useCodeAtHub
    ? await deps.useCodeAtHub({ nonce: check.nonce, memberId: check.memberId, expiresAt: check.expiresAt })
    : { result: 'offline' as const };
  if (hub.result === 'replayed') {
    audit(ctx, staff, 'member.code-replayed', { memberId: check.memberId, otherTill: hub.terminalId });
    throw new PosError('MEMBER_CODE_INVALID', { reason: 'replayed-elsewhere', terminalId: hub.terminalId });
  }
  const rec = readMember(ctx.db, check.memberId);
  if (rec.erased) throw new PosError('MEMBER_NOT_FOUND', { reason: 'code' });
  const panel = rec.known
    ? panelOf(ctx, rec)
    : await remoteLookup(ctx, deps, { type: 'code', value: check.memberId }, 'code');
  audit(ctx, staff, 'member.identify', {
    memberId: panel.id,
    by: 'code',
    local: panel.local,
    // Without the hub only this till's nonce table vouched for the code (docs/members.md).
    storeWide: hub.result === 'fresh',
  });
  return panel;
}

/** Exact phone match: this store's members offline, others through the cloud. */
export async function identifyByPhone(
  ctx: CoreContext,
  deps: MemberLookupDeps,
  staff: StaffView,
  phone: string,
): Promise<MemberPanel> {
  const p = normalizePhone(phone);
  const id = findByIdentity(ctx.db, 'phone', p);
  const panel = id
    ? panelOf(ctx, readMember(ctx.db, id))
    : await remoteLookup(ctx, deps, { type: 'phone', value: p }, 'phone');
  // Masked: the audit log is read by managers and replicated; the number itself is not needed there.
  audit(ctx, staff, 'member.identify', { memberId: panel.id, by: 'phone', phone: maskPhone(p), local: panel.local });
  return { ...panel, maskedPhone: maskPhone(p) };
}

export function memberPanel(ctx: CoreContext, memberId: string): MemberPanel {
  const rec = readMember(ctx.db, memberId);
  if (rec.known && !rec.erased) return panelOf(ctx, rec);
  const seen = remoteSeen.get(canonicalMember(ctx.db, memberId));
  if (seen && !rec.erased) return remotePanel(seen.summary, null);
  throw new PosError('MEMBER_NOT_FOUND', { reason: 'id' });
}

export interface SignUpInput {
  phone: string;
  name?: string;
  consent: { marketing: boolean; channel: string; textVersion: string };
}

/** A new member of this store, with the consent recorded per purpose (time, channel, text version). */
export function signUpMember(ctx: CoreContext, staff: StaffView, input: SignUpInput): MemberPanel {
  const phone = normalizePhone(input.phone);
  const now = ctx.clock();
  const id = ctx.db.transaction(() => {
    if (findByIdentity(ctx.db, 'phone', phone)) throw new PosError('CONFLICT', { reason: 'phone-taken' });
    const memberId = `m-${uuidv7(now)}`;
    const record = { at: now.toISOString(), channel: input.consent.channel, textVersion: input.consent.textVersion };
    writeMemberOps(ctx, (f, scope) => [
      ...(input.name ? [f.set(scope, 'member', memberId, 'name', input.name)] : []),
      f.set(scope, 'member', memberId, 'level', 'silver'),
      f.set(scope, 'member', memberId, 'consent.marketing', input.consent.marketing),
      f.set(scope, 'member', memberId, 'consentRecord.marketing', { ...record, granted: input.consent.marketing }),
      f.set(scope, 'member', memberId, 'joinedStore', ctx.storeId),
      f.identity(scope, memberId, 'phone', phone),
      f.identity(scope, memberId, 'code', memberId),
    ]);
    writeAudit(ctx.db, ctx.terminalId, now, {
      action: 'member.signUp',
      staffId: staff.id,
      detail: { memberId, phone: maskPhone(phone), marketing: input.consent.marketing, channel: input.consent.channel },
    });
    return memberId;
  })();
  ctx.logger.info({ memberId: id }, 'member signed up');
  return { ...panelOf(ctx, readMember(ctx.db, id)), maskedPhone: maskPhone(phone) };
}

/** Attaches a member to the open cart (null detaches). */
export function setCartMember(ctx: CoreContext, staff: StaffView, memberId: string | null): Cart {
  let member: CartMember | null = null;
  if (memberId !== null) {
    const p = memberPanel(ctx, memberId);
    member = { id: p.id, level: p.level, tags: p.tags, maskedName: p.maskedName, points: p.points };
  }
  const now = ctx.clock();
  const cartId = ctx.db.transaction(() => {
    const id = ensureOpenCart(ctx.db, now, staff.id);
    setCartMemberRow(ctx.db, id, member);
    touchCart(ctx.db, id, now);
    return id;
  })();
  // Priced afresh (member prices) and announced, as after any cashier change.
  return cartChanged(ctx, cartId);
}

/**
 * Inside the sale's transaction: credits the sale to its member and writes the points earned
 * as a points-ledger op. Returns the points (0 for a guest sale).
 */
export function creditSaleToMember(
  ctx: CoreContext,
  sale: { id: string; total: number; at: Date; member: CartMember | null },
): number {
  if (!sale.member) return 0;
  const rec = readMember(ctx.db, sale.member.id);
  const memberId = rec.id;
  const level = rec.known ? rec.level : sale.member.level;
  const points = pointsForSale(sale.total, level, readTillConfig(ctx.db, ctx.storeId, ctx.terminalId).pointsRule);
  insertSaleMember(ctx.db, sale.id, memberId, points, sale.at.toISOString());
  if (points > 0) writeMemberOps(ctx, (f, scope) => [f.points(scope, memberId, points, 'sale', sale.id)]);
  return points;
}

/** Inside a return's transaction: takes back the points of the refunded part. Returns them. */
export function takeBackPoints(
  ctx: CoreContext,
  r: { saleId: string; saleTotal: number; refundedBefore: number; refundNow: number },
): number {
  const row = saleMemberRow(ctx.db, r.saleId);
  if (!row) return 0;
  const back = pointsToTakeBack(row.pointsEarned, r.saleTotal, r.refundedBefore, r.refundNow);
  if (back > 0) writeMemberOps(ctx, (f, scope) => [f.points(scope, row.memberId, -back, 'return', r.saleId)]);
  return back;
}

/** For sales.get and the receipt: the sale's member (masked), points and the member's balance. */
export function saleMemberSummary(
  db: Db,
  saleId: string,
): {
  member: { id: string; maskedName: string | null };
  pointsEarned: number;
  pointsReturned: number;
  balance: number;
} | null {
  const row = saleMemberRow(db, saleId);
  if (!row) return null;
  const rec = readMember(db, row.memberId);
  return {
    member: { id: rec.id, maskedName: rec.maskedName },
    pointsEarned: row.pointsEarned,
    pointsReturned: row.pointsReturned,
    balance: rec.points,
  };
}

/**
 * Consent per purpose (PIPL) as this till knows it: marketing, face, chainFace. The face
 * module reads it before enrolling or matching a template; a purpose never recorded is not granted.
 */
export function memberConsents(db: Db, memberId: string): Record<'marketing' | 'face' | 'chainFace', MemberConsent> {
  const rec = readMember(db, memberId);
  const one = (purpose: string): MemberConsent => {
    const r = rec.consentRecords[purpose] as { at?: unknown; channel?: unknown; textVersion?: unknown } | undefined;
    return {
      granted: !rec.erased && rec.consent[purpose] === true,
      at: typeof r?.at === 'string' ? r.at : null,
      channel: typeof r?.channel === 'string' ? r.channel : null,
      textVersion: typeof r?.textVersion === 'string' ? r.textVersion : null,
    };
  };
  return { marketing: one('marketing'), face: one('face'), chainFace: one('chainFace') };
}

/**
 * Inside the caller's transaction: one points-ledger op (redeeming points as a tender, or giving
 * them back on a return). Replicates like every points op, so the ledger stays exact.
 */
export function writePointsEntry(ctx: CoreContext, memberId: string, delta: number, reason: string, ref: string): void {
  writeMemberOps(ctx, (f, scope) => [f.points(scope, memberId, delta, reason, ref)]);
}
