// validateOpColumns (the push path's column-wise checks) against validateOps (zod, the schema
// of record): on any batch, valid or damaged, both accept the same ops or refuse with the same
// index and message.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HybridClock } from './hlc';
import { OpFactory } from './op-factory';
import { OpValidationError, opRows, validateOpColumns, validateOps, type Op, type OpColumns } from './ops';

const f = new OpFactory(new HybridClock({ nodeId: 'S1_T01', now: () => 1_764_000_000_000 }));
const FIELDS = ['id', 's', 't', 'e', 'k', 'f', 'n', 'b'] as const;

/** One op of every type, the shapes the till and the cloud write. */
function sample(i: number): Op[] {
  return [
    f.set('chain', 'product', `p${i}`, 'name', `Product ${i}`),
    f.set('store:S1', 'price', `p${i}`, 'price', { cents: 990 }),
    f.move('S1', `sku${i}`, 'sale', -i - 1, `sale${i}`),
    f.fact('store:S1', 'sale', `sale${i}`, { total: 1290, lines: [['6901', 1, 1290]] }),
    f.identity('chain', `m${i}`, 'phone', '13800000000'),
    f.points('chain', `m${i}`, 10, 'sale', `sale${i}`),
    { ...f.set('chain', 'member', `m${i}`, 'name', 'x'), t: 'tag', e: `m${i}`, k: 'vip', f: 'add', b: null },
    { ...f.set('chain', 'member', `m${i}`, 'name', 'x'), t: 'merge', e: `m${i}`, k: `m${i + 1}`, f: '', b: null },
    f.erase('chain', `m${i}`),
    f.footfall('S1', 'cam1', '2026-12-05T10:00:00Z', '2026-12-05T10:15:00Z', 3, 2),
  ];
}

function columns(ops: Record<string, unknown>[]): OpColumns {
  const c = Object.fromEntries(FIELDS.map((k) => [k, [] as unknown[]])) as unknown as OpColumns;
  for (const o of ops) for (const k of FIELDS) c[k].push(o[k]);
  return c;
}

function outcome(fn: () => Op[]): { ops: Op[] } | { index: number; message: string } {
  try {
    return { ops: fn() };
  } catch (err) {
    if (!(err instanceof OpValidationError)) throw err;
    return { index: err.index, message: err.message };
  }
}

const junk = fc.oneof(
  fc.constant(null),
  fc.constant(''),
  fc.constant('x'.repeat(201)),
  fc.constant('store:'),
  fc.constant('add'),
  fc.constant('sale'),
  fc.integer(),
  fc.double(),
  fc.constant(2 ** 53),
  fc.string({ maxLength: 8 }),
  fc.constant([]),
  fc.constant(['zz']),
  fc.constant({}),
  fc.constant({ end: 'e', in: 1, out: 2 }),
  fc.constant({ end: 'e', in: 1, out: 2, extra: true }),
  fc.constant({ end: 'e', in: -1, out: 2 }),
  fc.constant(JSON.parse('{"__proto__":{"x":1}}') as unknown),
);

describe('validateOpColumns', () => {
  it('takes a valid batch of every op type as validateOps does', () => {
    const ops = Array.from({ length: 20 }, (_, i) => sample(i)).flat();
    const wire = JSON.parse(JSON.stringify(ops)) as Record<string, unknown>[];
    expect(validateOpColumns(columns(wire), wire.length)).toEqual(validateOps(opRows(columns(wire), wire.length)));
    expect(validateOpColumns(columns(wire), wire.length)).toEqual(ops);
  });

  it('refuses a damaged batch with the same index and message as validateOps, whatever the damage', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(200), fc.constantFrom(...FIELDS), junk), { minLength: 1, maxLength: 4 }),
        (damage) => {
          const ops = JSON.parse(JSON.stringify(Array.from({ length: 20 }, (_, i) => sample(i)).flat())) as Record<
            string,
            unknown
          >[];
          for (const [at, field, value] of damage) ops[at % ops.length]![field] = value;
          const c = columns(ops);
          expect(outcome(() => validateOpColumns(c, ops.length))).toEqual(
            outcome(() => validateOps(opRows(c, ops.length))),
          );
        },
      ),
      { numRuns: 400 },
    );
  });

  it('names the first bad op of a push as zod does (index 3 of 4)', () => {
    const ops = JSON.parse(JSON.stringify(sample(1).slice(0, 4))) as Record<string, unknown>[];
    ops[3]!['n'] = 'lots';
    ops[2]!['n'] = 1.5;
    const r = outcome(() => validateOpColumns(columns(ops), 4));
    expect(r).toMatchObject({ index: 2 });
    expect(r).toEqual(outcome(() => validateOps(opRows(columns(ops), 4))));
  });
});
