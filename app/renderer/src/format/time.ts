// Times arrive as ISO-8601 UTC; the till shows them in the store's zone, as the receipt does.
// TillConfig has no time-zone field yet, and every store is in China, so the zone is fixed here.
export const STORE_TIME_ZONE = 'Asia/Shanghai';

const fmt = new Intl.DateTimeFormat('sv-SE', {
  timeZone: STORE_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

/** "2026-11-29T00:21:38Z" -> "2026-11-29 08:21:38"; '' for a missing or invalid time. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : fmt.format(d);
}
