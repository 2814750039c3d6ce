// The Chinese retail calendar the forecast reads: statutory holidays and the weekend days
// swapped into working days (调休), as published by the State Council's General Office for each
// year, plus school holidays (approximate; they vary by province, so they are a setting).
// Dates are store-local calendar days 'YYYY-MM-DD'. A year without a published table falls back
// to plain weekdays/weekends and `holidayTableKnown` says so, so the manager screen can warn.

export interface HolidayYear {
  /** Days off by law or by the year's schedule, with the festival they belong to. */
  off: Record<string, Festival>;
  /** Weekend days that are working days that year (调休上班). */
  work: string[];
}

export type Festival = 'new_year' | 'spring' | 'qingming' | 'labour' | 'dragon_boat' | 'mid_autumn' | 'national';

function span(from: string, days: number, festival: Festival): Record<string, Festival> {
  const out: Record<string, Festival> = {};
  const d = new Date(`${from}T00:00:00Z`);
  for (let i = 0; i < days; i++) {
    out[isoDay(d)] = festival;
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}

/** Published schedules (国务院办公厅关于 20xx 年部分节假日安排的通知). */
export const HOLIDAY_TABLES: Record<number, HolidayYear> = {
  2024: {
    off: {
      ...span('2024-01-01', 1, 'new_year'),
      ...span('2024-02-10', 8, 'spring'),
      ...span('2024-04-04', 3, 'qingming'),
      ...span('2024-05-01', 5, 'labour'),
      ...span('2024-06-10', 1, 'dragon_boat'),
      ...span('2024-09-15', 3, 'mid_autumn'),
      ...span('2024-10-01', 7, 'national'),
    },
    work: [
      '2024-02-04',
      '2024-02-18',
      '2024-04-07',
      '2024-04-28',
      '2024-05-11',
      '2024-09-14',
      '2024-09-29',
      '2024-10-12',
    ],
  },
  2025: {
    off: {
      ...span('2025-01-01', 1, 'new_year'),
      ...span('2025-01-28', 8, 'spring'),
      ...span('2025-04-04', 3, 'qingming'),
      ...span('2025-05-01', 5, 'labour'),
      ...span('2025-05-31', 3, 'dragon_boat'),
      ...span('2025-10-01', 8, 'national'),
    },
    work: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  },
  2026: {
    off: {
      ...span('2026-01-01', 3, 'new_year'),
      ...span('2026-02-15', 9, 'spring'),
      ...span('2026-04-04', 3, 'qingming'),
      ...span('2026-05-01', 5, 'labour'),
      ...span('2026-06-19', 3, 'dragon_boat'),
      ...span('2026-09-25', 3, 'mid_autumn'),
      ...span('2026-10-01', 7, 'national'),
    },
    work: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
};

/** School holidays as [from, to] inclusive day ranges; a store setting (provinces differ). */
export type SchoolHolidays = [string, string][];

export const DEFAULT_SCHOOL_HOLIDAYS: SchoolHolidays = [
  ['2024-01-20', '2024-02-25'],
  ['2024-07-06', '2024-08-31'],
  ['2025-01-18', '2025-02-16'],
  ['2025-07-05', '2025-08-31'],
  ['2026-01-31', '2026-03-01'],
  ['2026-07-04', '2026-08-31'],
];

export interface DayInfo {
  day: string;
  /** 0 = Monday … 6 = Sunday. */
  dow: number;
  /** A day off: a weekend that is not swapped, or a holiday. */
  off: boolean;
  holiday: Festival | null;
  /** A weekend day worked because of a holiday swap. */
  swappedWorkday: boolean;
  /** Days until the next holiday's first day (1–3), else 0: the pre-holiday shopping days. */
  preHoliday: number;
  /** The festival the pre-holiday days lead up to. */
  preHolidayOf: Festival | null;
  schoolHoliday: boolean;
  /** False when no published holiday table covers this year. */
  holidayTableKnown: boolean;
}

export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return isoDay(d);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

function holidayOf(day: string): Festival | null {
  return HOLIDAY_TABLES[Number(day.slice(0, 4))]?.off[day] ?? null;
}

const defaultCache = new Map<string, DayInfo>();

export function dayInfo(day: string, school: SchoolHolidays = DEFAULT_SCHOOL_HOLIDAYS): DayInfo {
  if (school !== DEFAULT_SCHOOL_HOLIDAYS) return computeDayInfo(day, school);
  let info = defaultCache.get(day);
  if (!info) {
    info = computeDayInfo(day, school);
    if (defaultCache.size > 20_000) defaultCache.clear();
    defaultCache.set(day, info);
  }
  return info;
}

function computeDayInfo(day: string, school: SchoolHolidays): DayInfo {
  const year = Number(day.slice(0, 4));
  const table = HOLIDAY_TABLES[year];
  const dow = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
  const holiday = holidayOf(day);
  const swappedWorkday = table?.work.includes(day) ?? false;
  const off = holiday !== null || (dow >= 5 && !swappedWorkday);
  let preHoliday = 0;
  let preHolidayOf: Festival | null = null;
  if (!holiday) {
    for (let k = 1; k <= 3; k++) {
      const f = holidayOf(addDays(day, k));
      if (f) {
        preHoliday = k;
        preHolidayOf = f;
        break;
      }
    }
  }
  return {
    day,
    dow,
    off,
    holiday,
    swappedWorkday,
    preHoliday,
    preHolidayOf,
    schoolHoliday: school.some(([a, b]) => day >= a && day <= b),
    holidayTableKnown: table !== undefined,
  };
}
