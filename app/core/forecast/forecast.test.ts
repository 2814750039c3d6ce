import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  dayInfo,
  generateStoreHistory,
  predictRidge,
  fitRidge,
  runBacktest,
  seasonalNaive,
  suggestOrder,
  trainingRow,
  type PastDay,
  type TargetDay,
} from './index';
import { simulateShelf } from './simulate';

describe('retail calendar', () => {
  it('knows 春节 2026, its swapped working Saturdays and the stocking-up days before it', () => {
    expect(dayInfo('2026-02-17')).toMatchObject({ holiday: 'spring', off: true });
    expect(dayInfo('2026-02-14')).toMatchObject({ dow: 5, swappedWorkday: true, off: false, preHoliday: 1 });
    expect(dayInfo('2026-02-12')).toMatchObject({ preHoliday: 3, preHolidayOf: 'spring', off: false });
    expect(dayInfo('2026-02-28')).toMatchObject({ swappedWorkday: true, off: false });
    expect(dayInfo('2026-03-07')).toMatchObject({ dow: 5, off: true, holiday: null });
  });
  it('says when a year has no published holiday table', () => {
    expect(dayInfo('2026-12-31').holidayTableKnown).toBe(true);
    expect(dayInfo('2027-02-07').holidayTableKnown).toBe(false);
  });
});

describe('order suggestion', () => {
  const base = {
    forecast: [40],
    profile: { ratios: [0.7, 0.8, 0.9, 1, 1.1, 1.2, 1.3] },
    onHand: 10,
    inTransit: 0,
    reserved: 0,
    casePack: 6,
    price: 1000,
    cost: 700,
    shelfLifeDays: 2,
  };
  it('nets stock on hand, in transit and reserved, and rounds up to whole cases', () => {
    const s = suggestOrder(base);
    expect(s.quantity % 6).toBe(0);
    expect(s.quantity).toBeGreaterThanOrEqual(s.target - 10);
    expect(suggestOrder({ ...base, inTransit: 12 }).quantity).toBe(s.quantity - 12);
    expect(suggestOrder({ ...base, reserved: 6 }).quantity).toBe(s.quantity + 6);
    expect(suggestOrder({ ...base, onHand: 500 }).quantity).toBe(0);
  });
  it('keeps more safety stock for a product with a wide margin than for one with a thin margin', () => {
    const wide = suggestOrder({ ...base, cost: 300, serviceFloor: 0 });
    const thin = suggestOrder({ ...base, cost: 900, serviceFloor: 0 });
    expect(wide.criticalRatio).toBeGreaterThan(thin.criticalRatio);
    expect(wide.target).toBeGreaterThan(thin.target);
  });
  it('never orders a negative amount or a part case', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 500, noNaN: true }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: -50, max: 1000 }),
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 1, max: 24 }),
        (forecast, onHand, inTransit, casePack) => {
          const s = suggestOrder({ ...base, forecast, onHand, inTransit, casePack });
          return s.quantity >= 0 && s.quantity % casePack === 0;
        },
      ),
    );
  });
});

describe('shelf simulation', () => {
  it('writes off what passes its shelf life and counts lost sales', () => {
    // Order 10 every day, demand 6: bread (1 day) wastes 4 a day; nothing is short.
    const r = simulateShelf(
      Array.from({ length: 5 }, () => ({ demand: 6 })),
      1,
      1,
      () => 10,
    );
    expect(r).toMatchObject({ demand: 30, sold: 30, received: 50, wasted: 20, stockoutDays: 0 });
    const short = simulateShelf([{ demand: 8 }, { demand: 8 }], 3, 1, () => 5);
    expect(short).toMatchObject({ sold: 10, stockoutDays: 2, wasted: 0 });
  });
});

describe('forecast methods', () => {
  const h = generateStoreHistory({ seed: 3, days: 400, perFamily: 2 });
  const target = (i: number, groupBuy = 0): TargetDay => ({
    cal: h.calendar[i]!,
    promo: 0,
    groupBuy,
    tempC: h.weather[i]!.forecastTempC,
    rainMm: h.weather[i]!.forecastRainMm,
  });
  it('seasonal naive repeats the same weekday of last week', () => {
    const past: PastDay[] = [5, 6, 7, 8, 9, 10, 11, 12].map((sales, i) => ({ day: `d${i}`, sales, stockout: false }));
    expect(seasonalNaive(past, 1)).toBe(6);
    expect(seasonalNaive(past, 2)).toBe(7);
  });
  it('the regression forecasts more when the group-buy pre-orders say so', () => {
    const meat = h.products.filter((p) => p.product.family === 'meat');
    const rows = meat.flatMap((p) =>
      p.days
        .slice(28, 360)
        .map((d, i) => ({ d, i: i + 28 }))
        .filter(({ d }) => !d.stockout)
        .map(({ d, i }) =>
          trainingRow(
            p.days.slice(0, i).map((x) => ({ day: x.day, sales: x.sales, stockout: x.stockout })),
            target(i, d.groupBuy),
            d.sales,
          ),
        ),
    );
    const model = fitRidge(rows, 3);
    const past = meat[0]!.days.slice(0, 370).map((x) => ({ day: x.day, sales: x.sales, stockout: x.stockout }));
    const few = predictRidge(model, past, target(370, 1));
    const many = predictRidge(model, past, target(370, 40));
    expect(many).toBeGreaterThan(few * 1.2);
  });
});

describe('backtest', () => {
  it('makes every choice without the held-out weeks: changing them changes no choice', () => {
    const a = generateStoreHistory({ seed: 9, days: 300, perFamily: 2 });
    const b = structuredClone(a);
    for (const p of b.products) for (const d of p.days.slice(-28)) d.sales = d.demand = d.sales * 3 + 7;
    const ra = runBacktest(a, { tuningDays: 28, heldoutDays: 28 });
    const rb = runBacktest(b, { tuningDays: 28, heldoutDays: 28 });
    expect(rb.choices).toEqual(ra.choices);
    expect(rb.overall.chosen.wape).not.toBe(ra.overall.chosen.wape);
    expect(ra.windows.tuning[1] < ra.windows.heldout[0]).toBe(true);
  });
});
