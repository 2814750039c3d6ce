// Is a rule open at an instant? Everything but `from`/`to` is read on the store's wall clock, so
// "19:30" means 19:30 in the store whatever zone the till's OS is set to. A daily window whose end
// is before its start (22:00–02:00) crosses midnight: the hours after midnight belong to the day
// the window started, so "Fridays 22:00–02:00" is open at 01:00 on Saturday and not on Friday.
import { zoneOffsetMinutes } from '../footfall-math';
import type { RuleWindow } from './rule';

export interface LocalTime {
  /** YYYY-MM-DD in the store. */
  date: string;
  /** 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** Minutes since local midnight. */
  minute: number;
}

/** The store-local wall clock of an instant. */
export function localTime(at: Date, timeZone: string): LocalTime {
  const ms = at.getTime();
  const shifted = new Date(ms + zoneOffsetMinutes(timeZone, ms) * 60_000);
  const dow = shifted.getUTCDay();
  return {
    date: shifted.toISOString().slice(0, 10),
    weekday: dow === 0 ? 7 : dow,
    minute: shifted.getUTCHours() * 60 + shifted.getUTCMinutes(),
  };
}

function previousDay(date: string): { date: string; weekday: number } {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  const dow = d.getUTCDay();
  return { date: d.toISOString().slice(0, 10), weekday: dow === 0 ? 7 : dow };
}

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The instant a store-local date and time stands for (e.g. today 19:30 in Asia/Shanghai). */
export function instantOfLocal(date: string, hhmm: string, timeZone: string): Date {
  const guess = Date.parse(`${date}T${hhmm}:00Z`);
  // Two passes settle zones whose offset differs either side of the instant (DST).
  let ms = guess - zoneOffsetMinutes(timeZone, guess) * 60_000;
  ms = guess - zoneOffsetMinutes(timeZone, ms) * 60_000;
  return new Date(ms);
}

/** True when the window is open at `at` in the store's zone. */
export function windowOpen(w: RuleWindow, at: Date, timeZone: string, local?: LocalTime): boolean {
  const ms = at.getTime();
  if (w.from !== undefined && ms < Date.parse(w.from)) return false;
  if (w.to !== undefined && ms >= Date.parse(w.to)) return false;
  // A caller checking many rules at one instant passes the wall clock it worked out once.
  const t = local ?? localTime(at, timeZone);
  // The calendar day the window's day rules are judged on.
  let day = { date: t.date, weekday: t.weekday };
  if (w.hours) {
    const start = minutesOf(w.hours.start);
    const end = minutesOf(w.hours.end);
    if (start < end) {
      if (t.minute < start || t.minute >= end) return false;
    } else if (start > end) {
      if (t.minute >= end && t.minute < start) return false;
      if (t.minute < end) day = previousDay(t.date);
    } // start === end: all day
  }
  if (w.weekdays && w.weekdays.length > 0 && !w.weekdays.includes(day.weekday)) return false;
  if (w.dates && w.dates.length > 0 && !w.dates.includes(day.date)) return false;
  if (w.monthDays && w.monthDays.length > 0 && !w.monthDays.includes(Number(day.date.slice(8, 10)))) return false;
  return true;
}
