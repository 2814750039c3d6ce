// Fuzz channels 2 and 5 (docs/fuzzing.md) at a real till web host process over HTTP:
//  - RPC inputs: every contract method (app/contract/methods.ts) gets inputs generated from its
//    zod schema (via JSON Schema), valid-ish and mutated, with real ids (SKUs, cart lines, sales)
//    mixed in, called with a cashier, manager or technician session; interleaved with whole sales
//    (scan/add, discount, split tenders) and returns, so the money paths are walked for real.
//  - Barcodes: random and mutated codes through `cart.scan`.
//  - A discount phase: a cashier without a manager PIN never ends with a line discounted over the
//    till's limit, whatever order add / discount / quantity changes come in.
// Invariants: no 5xx / INTERNAL, the process stays up, and at the end for every completed sale:
// lines add up, discounts add up, sum(tenders) = total = sum(tendered) − change, fixed-price lines
// carry the catalog price (a barcode never sets it), the stock ledger holds exactly one sale
// movement per line, stock on hand = sum of ledger movements, receipt numbers unique.
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { gs1CheckDigit } from '../../app/core/barcode';
import { methods, methodNames, type MethodName } from '../../app/contract';
import { draw, FuzzCounts, pool, rpc, scaled, startTill, type TillProcess } from './fuzz-support';

type Json = Record<string, any>;
/** 503 codes that say a dependency this till was started without is missing. */
const DEPENDENCY_MISSING = new Set([
  'DEVICE_UNAVAILABLE',
  'ORDERS_OFFLINE',
  'MEMBER_LOOKUP_OFFLINE',
  'FACE_UNAVAILABLE',
  'STOCK_NEARBY_OFFLINE',
]);

const POOL = '\u0000pool:';

// ---- inputs from the contract's schemas -------------------------------------------------

/** Which live ids a string field draws from (the rest are generated strings). */
const POOL_FIELDS: Record<string, string> = {
  sku: 'sku',
  lineId: 'line',
  saleId: 'sale',
  id: 'sale',
  parkedId: 'parked',
  deviceId: 'device',
  before: 'sale',
};

function arbFromJsonSchema(s: any, field = ''): fc.Arbitrary<unknown> {
  if (!s || Object.keys(s).filter((k) => k !== '$schema').length === 0) return fc.jsonValue({ maxDepth: 2 });
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  if (s.oneOf || s.anyOf) return fc.oneof(...(s.oneOf ?? s.anyOf).map((x: any) => arbFromJsonSchema(x, field)));
  switch (s.type) {
    case 'object': {
      if (s.properties) {
        const rec: Record<string, fc.Arbitrary<unknown>> = {};
        for (const [k, v] of Object.entries(s.properties)) rec[k] = arbFromJsonSchema(v, k);
        return fc.record(rec, { requiredKeys: s.required ?? [] });
      }
      return fc.dictionary(fc.string({ maxLength: 24 }), arbFromJsonSchema(s.additionalProperties, field), {
        maxKeys: 4,
      });
    }
    case 'array':
      return fc.array(arbFromJsonSchema(s.items, field), {
        minLength: s.minItems ?? 0,
        maxLength: Math.min(s.maxItems ?? 6, 6),
      });
    case 'integer':
    case 'number': {
      const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : -1e6);
      const max = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : 1e9);
      // A number field's bounds need not be whole (a percentage from 0.1, say): integers inside them.
      const lo = Math.ceil(min);
      const hi = Math.max(lo, Math.floor(max));
      const int = fc.oneof(
        fc.integer({ min: lo, max: Math.max(lo, Math.min(hi, lo + 20_000)) }),
        fc.integer({ min: Math.max(lo, -Number.MAX_SAFE_INTEGER), max: Math.min(hi, Number.MAX_SAFE_INTEGER) }),
      );
      return s.type === 'integer' ? int : fc.oneof(int, fc.double({ min, max, noNaN: true }));
    }
    case 'boolean':
      return fc.boolean();
    case 'string': {
      const gen = s.pattern
        ? fc.stringMatching(new RegExp(s.pattern)).map((x) => x.slice(0, s.maxLength ?? 200))
        : fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 80, 120) });
      const poolName = POOL_FIELDS[field];
      return poolName
        ? fc.oneof(
            { weight: 3, arbitrary: fc.nat().map((n) => `${POOL}${poolName}:${n}`) },
            { weight: 1, arbitrary: gen },
          )
        : gen;
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Valid-ish inputs from the schema, and mutations of them: wrong types, missing or extra keys, junk. */
const inputArbs = new Map<MethodName, fc.Arbitrary<unknown>>();
function inputArb(method: MethodName): fc.Arbitrary<unknown> {
  let a = inputArbs.get(method);
  if (!a) inputArbs.set(method, (a = buildInputArb(method)));
  return a;
}
function buildInputArb(method: MethodName): fc.Arbitrary<unknown> {
  const js = z.toJSONSchema(methods[method].input, { io: 'input', unrepresentable: 'any' });
  const valid = arbFromJsonSchema(js);
  const mutated = fc
    .tuple(valid, fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), fc.nat())
    .map(([v, key, junk, n]) => {
      if (!v || typeof v !== 'object' || Array.isArray(v)) return junk;
      const o = { ...(v as Json) };
      const keys = Object.keys(o);
      if (n % 3 === 0 && keys.length) o[keys[n % keys.length]!] = junk;
      else if (n % 3 === 1 && keys.length) delete o[keys[n % keys.length]!];
      else o[key || '__proto__'] = junk;
      return o;
    });
  return fc.oneof(
    { weight: 6, arbitrary: valid },
    { weight: 3, arbitrary: mutated },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  );
}

// ---- barcodes (channel 5) ----------------------------------------------------------------

const digits = (min: number, max = min) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
const withCheck = (d: string) => d + gs1CheckDigit(d);
const GS = '\u001d';
/** Barcodes a till meets, built around the store's real GTINs so they reach the catalog. */
function barcodeArb(gtins: string[]): fc.Arbitrary<string> {
  const gtin = fc.constantFrom(...gtins);
  const gtin14 = gtin.map((g) => g.padStart(14, '0'));
  const priceAi = fc
    .tuple(fc.constantFrom('3920', '3921', '3922', '3923', '3930', '3931', '3932'), digits(1, 15))
    .map(([ai, v]) => (ai.startsWith('393') ? `${ai}156${v}` : `${ai}${v}`));
  const weightAi = fc
    .tuple(fc.constantFrom('3100', '3101', '3102', '3103', '3105', '3200'), digits(6))
    .map(([ai, v]) => ai + v);
  const gs1 = fc
    .tuple(
      fc.constantFrom('', ']C1', ']d2', ']Q3', ']e0'),
      gtin14,
      fc.array(
        fc.oneof(
          priceAi,
          weightAi,
          digits(6).map((d) => '17' + d),
          fc.string({ maxLength: 10 }).map((b) => '10' + b + GS),
        ),
        { maxLength: 3 },
      ),
    )
    .map(([aim, g, rest]) => `${aim}01${g}${rest.join(rest.length > 1 ? GS : '')}`);
  const bracketed = fc
    .tuple(gtin14, fc.oneof(priceAi, weightAi))
    .map(([g, r]) => `(01)${g}(${r.slice(0, 4)})${r.slice(4)}`);
  const digitalLink = fc
    .tuple(
      gtin14,
      fc.oneof(priceAi, weightAi),
      fc.constantFrom('https://id.gs1.org', 'https://example.com/x', 'HTTPS://ID.GS1.ORG', 'http://[::1]'),
    )
    .map(([g, r, host]) => `${host}/01/${g}?${r.slice(0, 4)}=${r.slice(4)}`);
  const inStore = fc
    .tuple(fc.constantFrom('20', '21', '22', '23', '24', '25', '26', '27', '28', '29'), digits(10))
    .map(([p, d]) => withCheck(p + d));
  const mutate = fc
    .tuple(gtin, fc.nat(), fc.constantFrom('0', '9', ' ', '\u001d', 'Ａ', '１', '\u0000', '%', '\n'))
    .map(([g, i, c]) => g.slice(0, i % (g.length + 1)) + c + g.slice((i % (g.length + 1)) + 1));
  return fc.oneof(
    gtin,
    gtin.map((g) => ' ' + g.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d))) + '\r'),
    gs1,
    bracketed,
    digitalLink,
    inStore,
    mutate,
    withCheckArb(),
    fc.string({ minLength: 1, maxLength: 512 }),
  );
}
function withCheckArb(): fc.Arbitrary<string> {
  return fc.oneof(digits(7), digits(11), digits(12), digits(13)).map(withCheck);
}

// ---- the run --------------------------------------------------------------------------------

interface Product {
  sku: string;
  price: number;
  unit: 'each' | 'weighed';
  barcodes: string[];
}

describe('fuzz: RPC inputs and barcodes at the till process', () => {
  let till: TillProcess;
  const counts = new FuzzCounts('till-rpc');
  const tokens: Record<string, string> = {};
  const live: Record<string, string[]> = { sku: [], line: [], sale: [], parked: [], device: ['printer', 'scale', 'x'] };
  const products = new Map<string, Product>();
  let dead = false;

  beforeAll(async () => {
    till = await startTill();
    for (const [role, pin] of [
      ['cashier', '1234'],
      ['manager', '8888'],
      ['technician', '7777'],
    ] as const)
      tokens[role] = (await rpc(till.url, 'auth.login', { pin })).body.token;
    for (const q of ['a', 'e', 'i', 'o', 'u', '0', '1', '6', '9']) {
      const r = await rpc(till.url, 'catalog.search', { query: q, limit: 100 }, tokens['manager']);
      for (const p of (r.body?.products ?? []) as Product[]) products.set(p.sku, p);
    }
    live['sku'] = [...products.keys()];
  });
  afterAll(async () => {
    counts.report();
    await till?.stop();
  });

  /**
   * One call, checked: JSON answer, no 5xx, no INTERNAL, process up. A 503 that names a missing
   * dependency is an answer, not a failure: no device, no sync for online orders, no cloud for a
   * member lookup, no face models.
   */
  async function call(channel: string, method: string, input: unknown, role: string): Promise<Json | null> {
    if (dead) return null;
    const body = substitute(input);
    let r: { status: number; body: any };
    try {
      r = await rpc(till.url, method, body, tokens[role]);
    } catch (err) {
      dead = true;
      await till.exited(3000);
      counts.fail(
        channel,
        `request failed (${(err as Error).message}; till alive: ${till.alive()}); till output: ${till.output().slice(-1500)}`,
        { method, body },
      );
      return null;
    }
    counts.add(channel);
    if (!r.body || typeof r.body.ok !== 'boolean')
      counts.fail(channel, `answer is not {ok,...} JSON (status ${r.status})`, { method, body });
    else if (r.status >= 500 && !(r.status === 503 && DEPENDENCY_MISSING.has(r.body.error?.code ?? '')))
      counts.fail(channel, `answered ${r.status} ${JSON.stringify(r.body.error)}`, { method, body, role });
    if (r.body?.ok === false && r.body.error?.code === 'UNAUTHENTICATED' && role in tokens) {
      // A fuzzed auth.logout or session expiry: log in again so the run goes on.
      const pin = { cashier: '1234', manager: '8888', technician: '7777' }[role]!;
      const again = await rpc(till.url, 'auth.login', { pin });
      if (again.body?.token) tokens[role] = again.body.token;
    }
    return r.body;
  }

  function substitute(v: unknown): unknown {
    if (typeof v === 'string' && v.startsWith(POOL)) {
      const [name, n] = v.slice(POOL.length).split(':');
      const list = live[name!] ?? [];
      return list.length ? list[Number(n) % list.length] : 'none';
    }
    if (Array.isArray(v)) return v.map(substitute);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, substitute(x)]));
    return v;
  }

  function remember(body: Json | null): void {
    const cart = body?.cart ?? null;
    if (cart?.lines) live['line'] = (cart.lines as Json[]).map((l) => l.lineId as string);
    if (body?.saleId) live['sale']!.push(body.saleId);
    if (body?.parkedId) live['parked']!.push(body.parkedId);
  }

  /** A whole sale: items in, maybe a discount, paid with generated split tenders. */
  const saleFlow = fc.record({
    items: fc.array(
      fc.record({
        pick: fc.nat(),
        qty: fc.integer({ min: 1, max: 5 }),
        grams: fc.integer({ min: 1, max: 3000 }),
        scan: fc.boolean(),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    discount: fc.option(
      fc.record({ kind: fc.constantFrom('percent', 'amount'), value: fc.nat(30), pin: fc.boolean() }),
    ),
    pay: fc.constantFrom('cash-over', 'cash-exact', 'card', 'split', 'payment-code', 'short'),
    extra: fc.nat(10_000),
    part: fc.double({ min: 0, max: 1, noNaN: true }),
  });
  type SaleFlow = typeof saleFlow extends fc.Arbitrary<infer T> ? T : never;

  async function runSale(f: SaleFlow, role: 'cashier' | 'manager'): Promise<void> {
    const skus = live['sku']!;
    for (const it of f.items) {
      const p = products.get(skus[it.pick % skus.length]!)!;
      const r =
        it.scan && p.barcodes[0] && p.unit === 'each'
          ? await call('rpc.sale', 'cart.scan', { code: p.barcodes[0] }, role)
          : await call(
              'rpc.sale',
              'cart.add',
              p.unit === 'weighed' ? { sku: p.sku, weightGrams: it.grams } : { sku: p.sku, quantity: it.qty },
              role,
            );
      remember(r);
    }
    if (f.discount && live['line']!.length) {
      remember(
        await call(
          'rpc.sale',
          'cart.lineDiscount',
          {
            lineId: live['line']![0],
            kind: f.discount.kind,
            value: f.discount.value,
            ...(f.discount.pin ? { managerPin: '8888' } : {}),
          },
          role,
        ),
      );
    }
    const cart = (await call('rpc.sale', 'cart.get', {}, role))?.cart as Json | undefined;
    if (!cart || cart.total <= 0) return;
    const t = cart.total as number;
    const part = Math.max(1, Math.min(t - 1, Math.floor(t * f.part)));
    const tenders = {
      'cash-over': [{ type: 'cash', amount: t + f.extra }],
      'cash-exact': [{ type: 'cash', amount: t }],
      card: [{ type: 'card', amount: t, reference: 'A1' }],
      split:
        t > 1
          ? [
              { type: 'card', amount: part },
              { type: 'cash', amount: t - part + f.extra },
            ]
          : [{ type: 'cash', amount: t }],
      'payment-code': [{ type: 'payment_code', amount: t, code: `13${String(f.extra).padStart(16, '7')}` }],
      short: [{ type: 'cash', amount: Math.max(1, t - 1 - f.extra) }],
    }[f.pay];
    remember(await call('rpc.sale', 'cart.pay', { tenders }, role));
  }

  it('answers every generated input without 5xx or INTERNAL and stays up; completed sales keep the shop invariants', async () => {
    // 1. Schema-driven inputs for every method, with whole sales and returns mixed in.
    const callable = methodNames.filter((m) => m !== 'auth.logout');
    const step = fc.oneof(
      {
        weight: 10,
        arbitrary: fc
          .constantFrom(...callable)
          .chain((m) => fc.tuple(fc.constant(m), inputArb(m), fc.constantFrom('cashier', 'manager', 'technician')))
          .map(([m, input, role]) => ({ kind: 'rpc' as const, m, input, role })),
      },
      { weight: 2, arbitrary: saleFlow.map((f) => ({ kind: 'sale' as const, f })) },
      {
        weight: 1,
        arbitrary: fc
          .record({
            pick: fc.nat(),
            lines: fc.array(fc.record({ pick: fc.nat(), q: fc.integer({ min: 1, max: 6 }) }), {
              minLength: 1,
              maxLength: 3,
            }),
            pin: fc.boolean(),
          })
          .map((r) => ({ kind: 'return' as const, r })),
      },
    );
    const steps = draw('rpc', step, scaled(1_500));
    await pool(steps, 3, async (s) => {
      if (dead) return;
      if (s.kind === 'rpc') {
        let input = s.input;
        // devices.configure would dial whatever host a fuzzed URI names: keep it on loopback.
        if (s.m === 'devices.configure' && input && typeof input === 'object')
          input = { ...(input as Json), uri: 'tcp://127.0.0.1:9' };
        remember(await call('rpc.schema', s.m, input, s.role));
      } else if (s.kind === 'sale') {
        await runSale(s.f, 'cashier');
      } else {
        const sales = live['sale']!;
        if (!sales.length) return;
        const sale = (await call('rpc.return', 'sales.get', { id: sales[s.r.pick % sales.length] }, 'manager'))
          ?.sale as Json | undefined;
        if (!sale) return;
        const lines = s.r.lines.map((l) => {
          const sl = sale.lines[l.pick % sale.lines.length];
          return sl.unit === 'weighed'
            ? { lineId: sl.lineId, weightGrams: Math.max(1, Math.floor(sl.weightGrams / l.q)) }
            : { lineId: sl.lineId, quantity: l.q };
        });
        await call(
          'rpc.return',
          'returns.create',
          { saleId: sale.id, lines, reason: 'fuzz', ...(s.r.pin ? { managerPin: '8888' } : {}) },
          'cashier',
        );
      }
    });

    // 2. Barcodes through cart.scan: never 5xx; a fixed-price line always carries the catalog price.
    const gtins = [...products.values()].flatMap((p) => p.barcodes).filter((b) => /^\d{8,14}$/.test(b));
    const codes = draw('barcode', barcodeArb(gtins), scaled(1_500));
    await pool(codes, 3, async (code, i) => {
      const r = await call('barcode.scan', 'cart.scan', { code }, 'cashier');
      remember(r);
      if (r?.ok) {
        const line = (r.cart.lines as Json[]).find((l) => l.lineId === r.lineId);
        const p = line && products.get(line.sku);
        if (line && p && p.unit === 'each' && (line.unitPrice !== p.price || line.gross !== p.price * line.quantity)) {
          counts.fail(
            'barcode',
            `a barcode set the price of fixed-price ${p.sku}: unitPrice ${line.unitPrice}, gross ${line.gross} for ${line.quantity} × catalog ${p.price}`,
            code,
          );
        }
      }
      // Keep the cart small: void it now and then (a manager may void without a PIN).
      if (i % 40 === 39) remember(await call('barcode.scan', 'cart.void', { reason: 'fuzz' }, 'manager'));
    });
    remember(await call('barcode.scan', 'cart.void', { reason: 'fuzz' }, 'manager'));

    // 3. Discounts by a cashier without a manager PIN never end over the till's limit.
    const dStep = fc.oneof(
      fc.record({ op: fc.constant('add' as const), pick: fc.nat(), qty: fc.integer({ min: 1, max: 9 }) }),
      fc.record({
        op: fc.constant('discount' as const),
        pick: fc.nat(),
        kind: fc.constantFrom('percent', 'amount'),
        value: fc.oneof(fc.nat(100), fc.nat(100_000)),
      }),
      fc.record({
        op: fc.constant('quantity' as const),
        pick: fc.nat(),
        qty: fc.integer({ min: 1, max: 9 }),
        grams: fc.integer({ min: 1, max: 5000 }),
      }),
    );
    const dSeqs = draw('discount', fc.array(dStep, { minLength: 2, maxLength: 8 }), scaled(150));
    const eachSkus = [...products.values()].filter((p) => p.unit === 'each' && p.price > 0).map((p) => p.sku);
    const limit = (await call('discount', 'config.get', {}, 'manager'))?.config?.maxCashierDiscountPercent as number;
    for (const seq of dSeqs) {
      if (dead) break;
      for (const d of seq) {
        const lines = live['line']!;
        if (d.op === 'add')
          remember(
            await call('discount', 'cart.add', { sku: eachSkus[d.pick % eachSkus.length], quantity: d.qty }, 'cashier'),
          );
        else if (!lines.length) continue;
        else if (d.op === 'discount')
          remember(
            await call(
              'discount',
              'cart.lineDiscount',
              { lineId: lines[d.pick % lines.length], kind: d.kind, value: d.value },
              'cashier',
            ),
          );
        else
          remember(
            await call(
              'discount',
              'cart.setQuantity',
              { lineId: lines[d.pick % lines.length], quantity: d.qty },
              'cashier',
            ),
          );
      }
      const cart = (await call('discount', 'cart.get', {}, 'cashier'))?.cart as Json | undefined;
      for (const l of (cart?.lines ?? []) as Json[]) {
        if (l.discount * 100 > l.gross * limit + 100)
          counts.fail(
            'discount',
            `cashier line ends discounted ${l.discount} of ${l.gross} (limit ${limit} %) without a manager PIN`,
            seq,
          );
      }
      remember(await call('discount', 'cart.void', { reason: 'fuzz' }, 'manager'));
    }

    // 4. Shop invariants over everything the run completed.
    if (!dead) await checkShop();
    console.log(JSON.stringify({ fuzz: 'till-rpc', sales: live['sale']!.length }));
    expect(counts.failures, counts.failures.join('\n')).toEqual([]);
    expect(till.alive()).toBe(true);
  }, 600_000);

  async function checkShop(): Promise<void> {
    const m = tokens['manager'];
    const db = new Database(join(till.dataDir, 'terminal.db'), { readonly: true, fileMustExist: true });
    try {
      // Every stored sale (the file is the ground truth); the API's list must show the newest.
      const ids = (db.prepare('SELECT id FROM sales ORDER BY created_at DESC, id DESC').all() as { id: string }[]).map(
        (r) => r.id,
      );
      const listed = ((await rpc(till.url, 'sales.list', { limit: 500 }, m)).body?.sales ?? []) as Json[];
      if (listed.length !== Math.min(500, ids.length))
        counts.fail('invariant', `sales.list shows ${listed.length} of ${ids.length} sales`, null);
      counts.add('invariant.sales', ids.length);
      const numbers = new Set<string>();
      for (const id of ids) {
        const sale = (await rpc(till.url, 'sales.get', { id }, m)).body?.sale as Json | undefined;
        if (!sale) {
          counts.fail('invariant', 'listed sale cannot be read', id);
          continue;
        }
        const sum = (xs: Json[], k: string) => xs.reduce((a, x) => a + (x[k] as number), 0);
        const lines = sale.lines as Json[];
        if (numbers.has(sale.number)) counts.fail('invariant', `receipt number ${sale.number} used twice`, id);
        numbers.add(sale.number);
        if (sum(lines, 'total') + sale.rounding !== sale.total)
          counts.fail('invariant', 'lines + rounding ≠ total', sale);
        if (
          sum(lines, 'gross') !== sale.subtotal ||
          sum(lines, 'discount') !== sale.discount ||
          sale.subtotal - sale.discount + sale.rounding !== sale.total
        )
          counts.fail('invariant', 'subtotal/discount do not add up', sale);
        const money = {
          id,
          total: sale.total,
          change: sale.change,
          rounding: sale.rounding,
          tenders: sale.tenders,
          returns: sale.returns,
        };
        if (sum(sale.tenders, 'amount') !== sale.total) counts.fail('invariant', 'sum(tenders) ≠ total', money);
        if (sum(sale.tenders, 'tendered') - sale.change !== sale.total)
          counts.fail('invariant', 'sum(tendered) − change ≠ total', money);
        for (const l of lines) {
          if (l.total !== l.gross - l.discount || l.discount < 0 || l.discount > l.gross)
            counts.fail('invariant', 'line total ≠ gross − discount', l);
          const p = products.get(l.sku);
          if (p && p.unit === 'each' && (l.unitPrice !== p.price || l.gross !== p.price * l.quantity))
            counts.fail('invariant', `fixed-price line not at catalog price ${p.price}`, l);
          const qty = l.unit === 'weighed' ? l.weightGrams : l.quantity;
          const mv = db
            .prepare(
              "SELECT COALESCE(SUM(quantity), 0) AS q, COUNT(*) AS n FROM stock_movements WHERE ref_id = ? AND sku = ? AND kind = 'sale'",
            )
            .get(id, l.sku) as { q: number; n: number };
          const sameSku = lines
            .filter((x) => x.sku === l.sku)
            .reduce((a, x) => a + (x.unit === 'weighed' ? x.weightGrams : x.quantity), 0);
          if (qty > 0 && mv.q !== -sameSku)
            counts.fail('invariant', `ledger has ${mv.q} for ${l.sku} in sale ${id}, lines say −${sameSku}`, l);
        }
      }
      // Stock on hand (API) = the ledger's sum (SQLite file, read beside the running till).
      const skus = db.prepare('SELECT DISTINCT sku FROM stock_movements').all() as { sku: string }[];
      for (const { sku } of skus) {
        const ledger = db
          .prepare(
            "SELECT COALESCE((SELECT quantity FROM stock_movements WHERE sku = ? AND kind = 'count' ORDER BY id DESC LIMIT 1), 0) + (SELECT COALESCE(SUM(quantity), 0) FROM stock_movements WHERE sku = ? AND kind <> 'count' AND id > COALESCE((SELECT id FROM stock_movements WHERE sku = ? AND kind = 'count' ORDER BY id DESC LIMIT 1), '')) AS q",
          )
          .get(sku, sku, sku) as { q: number };
        const view = (await rpc(till.url, 'stock.get', { sku }, m)).body;
        counts.add('invariant.stock');
        if (view?.ok && view.onHand !== ledger.q)
          counts.fail('invariant', `stock on hand ${view.onHand} ≠ ledger ${ledger.q}`, sku);
      }
      const orphan = db
        .prepare(
          "SELECT COUNT(*) AS n FROM stock_movements WHERE kind = 'sale' AND ref_id NOT IN (SELECT id FROM sales)",
        )
        .get() as { n: number };
      if (orphan.n) counts.fail('invariant', `${orphan.n} sale movements without a sale`, null);
    } finally {
      db.close();
    }
  }
});
