// Behaviour tags computed in the cloud (RFM-style, explained rules, no black box) from the sale
// facts the stores replicate. Pure: sales in, the tag set per member out. The CDP turns the
// difference with the current tags into add-wins tag ops, which replicate to the member's tills.
//
//   new          first purchase within the last 30 days
//   active       a purchase within the last 30 days
//   lapsing-30/60/90  last purchase more than 30 / 60 / 90 days ago (only the largest applies)
//   high-value   spent at least ¥500 (50 000 fen) in the last 90 days
//   frequent     at least 4 visits in the last 30 days
export interface MemberSale {
  memberId: string;
  total: number;
  at: string;
}

/** Tags this module owns (others, set by hand or marketing, are left alone). */
export const BEHAVIOUR_TAGS = ['new', 'active', 'lapsing-30', 'lapsing-60', 'lapsing-90', 'high-value', 'frequent'];

const DAY = 86_400_000;

export function behaviourTags(sales: readonly MemberSale[], now: Date): Map<string, string[]> {
  const by = new Map<string, MemberSale[]>();
  for (const s of sales) by.set(s.memberId, [...(by.get(s.memberId) ?? []), s]);
  const out = new Map<string, string[]>();
  const t = now.getTime();
  for (const [m, list] of by) {
    const times = list.map((s) => Date.parse(s.at)).sort((a, b) => a - b);
    const first = times[0]!;
    const last = times[times.length - 1]!;
    const tags: string[] = [];
    if (t - first <= 30 * DAY) tags.push('new');
    if (t - last <= 30 * DAY) tags.push('active');
    else if (t - last > 90 * DAY) tags.push('lapsing-90');
    else if (t - last > 60 * DAY) tags.push('lapsing-60');
    else tags.push('lapsing-30');
    const spent90 = list.filter((s) => t - Date.parse(s.at) <= 90 * DAY).reduce((a, s) => a + s.total, 0);
    if (spent90 >= 50_000) tags.push('high-value');
    if (times.filter((x) => t - x <= 30 * DAY).length >= 4) tags.push('frequent');
    out.set(m, tags.sort());
  }
  return out;
}
