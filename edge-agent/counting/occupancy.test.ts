import { describe, expect, it } from 'vitest';
import { HysteresisAlarm, Occupancy } from './occupancy';
import { Zone } from './zones';

const day = Date.UTC(2026, 10, 28, 2, 0); // 10:00 in China

describe('Occupancy', () => {
  it('never goes below zero', () => {
    const o = new Occupancy();
    o.apply(-1, day);
    expect(o.value).toBe(0);
    o.apply(2, day);
    o.apply(-3, day);
    expect(o.value).toBe(0);
  });

  it('resets at the configured local time', () => {
    const o = new Occupancy({ resetAt: '04:00', utcOffsetMinutes: 480 });
    o.apply(5, day);
    o.tick(Date.UTC(2026, 10, 28, 19, 59)); // 03:59 next day local
    expect(o.value).toBe(5);
    o.tick(Date.UTC(2026, 10, 28, 20, 1)); // 04:01 local
    expect(o.value).toBe(0);
    expect(() => new Occupancy({ resetAt: '25:00' })).toThrow(/HH:MM/);
  });

  it('alert has hysteresis', () => {
    const a = new HysteresisAlarm({ high: 10, low: 7 });
    expect([9, 10, 9, 8, 10, 7, 8, 10].map((v) => a.update(v))).toEqual([
      null,
      'raised',
      null,
      null,
      null,
      'cleared',
      null,
      'raised',
    ]);
    expect(() => new HysteresisAlarm({ high: 5, low: 5 })).toThrow();
  });
});

describe('Zone', () => {
  const zone = () =>
    new Zone({
      name: 'queue',
      polygon: [
        { x: 0, y: 0 },
        { x: 100, y: 0 },
        { x: 100, y: 100 },
        { x: 0, y: 100 },
      ],
      anchor: 'center',
      alert: { high: 2, low: 0 },
    });
  const tr = (id: number, x: number) => ({
    id,
    state: 'confirmed' as const,
    box: { x: x - 5, y: 45, width: 10, height: 10 },
    score: 1,
    hits: 5,
    missed: 0,
    age: 5,
  });

  it('counts occupancy and dwell', () => {
    const z = zone();
    expect(z.update([tr(1, 50)], 0).alert).toBeNull();
    expect(z.occupancy).toBe(1);
    expect(z.update([tr(1, 50), tr(2, 60)], 1000).alert).toBe('raised');
    const r = z.update([tr(1, 150), tr(2, 60)], 3000);
    expect(r.dwells).toEqual([{ zone: 'queue', trackId: 1, enteredAt: 0, leftAt: 3000, seconds: 3 }]);
    const r2 = z.update([], 4000, [2]);
    expect(r2.dwells[0]!.seconds).toBe(3);
    expect(r2.alert).toBe('cleared');
    expect(z.occupancy).toBe(0);
  });
});
