// The reason of a replenishment line in words, from the facts the core sends
// ("周一 · 晴 8°C · 团购预订 36 → 预测 120，现有 40"), in the till's language.
import type { Lang, ReplenishmentLine } from '../../../contract';

const DOW = {
  'zh-CN': ['周一', '周二', '周三', '周四', '周五', '周六', '周日'],
  en: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
};

const FESTIVAL: Record<string, [string, string]> = {
  new_year: ['元旦', "New Year's Day"],
  spring: ['春节', 'Spring Festival'],
  qingming: ['清明', 'Qingming'],
  labour: ['劳动节', 'Labour Day'],
  dragon_boat: ['端午', 'Dragon Boat'],
  mid_autumn: ['中秋', 'Mid-Autumn'],
  national: ['国庆', 'National Day'],
};

const FEATURE: Record<string, [string, string]> = {
  tue: ['周二', 'Tuesday'],
  wed: ['周三', 'Wednesday'],
  thu: ['周四', 'Thursday'],
  fri: ['周五', 'Friday'],
  sat: ['周六', 'Saturday'],
  sun: ['周日', 'Sunday'],
  swapped_workday: ['调休上班', 'swapped working day'],
  school_holiday: ['寒暑假', 'school holiday'],
  temp_above_20: ['气温', 'temperature'],
  rain: ['下雨', 'rain'],
  promo_log_price: ['促销', 'promotion'],
  group_buy_ratio: ['团购占比', 'group-buy share'],
  group_buy_none: ['无团购预订', 'no group-buy pre-orders'],
  last_week_ratio: ['上周同日', 'same day last week'],
  last_week_unknown: ['上周同日缺货', 'last week sold out'],
  season_cos: ['季节', 'season'],
};

function featureWord(feature: string, zh: boolean): string {
  const f = FEATURE[feature];
  if (f) return zh ? f[0] : f[1];
  const holiday = /^holiday_(\w+)$/.exec(feature);
  if (holiday) {
    const w = FESTIVAL[holiday[1]!];
    return w ? (zh ? w[0] : w[1]) : feature;
  }
  const pre = /^pre_(spring|other)_(\d)$/.exec(feature);
  if (pre) {
    const name = pre[1] === 'spring' ? (zh ? '春节' : 'Spring Festival') : zh ? '节' : 'holiday';
    return zh ? `${name}前${pre[2]}天` : `${pre[2]} day(s) before ${name}`;
  }
  return feature;
}

/** Quantity in the product's unit: items, or kg for weighed products (grams inside). */
export function quantityText(line: Pick<ReplenishmentLine, 'unit'>, q: number): string {
  return line.unit === 'weighed' ? `${(q / 1000).toFixed(1)} kg` : String(Math.round(q));
}

export function reasonText(line: ReplenishmentLine, lang: Lang): string {
  const zh = lang === 'zh-CN';
  const r = line.reason;
  const parts: string[] = [DOW[zh ? 'zh-CN' : 'en'][r.dow]!];
  if (r.holiday) parts.push(featureWord(`holiday_${r.holiday}`, zh));
  else if (r.preHoliday && r.preHolidayOf) {
    const f = FESTIVAL[r.preHolidayOf];
    const name = f ? (zh ? f[0] : f[1]) : r.preHolidayOf;
    parts.push(zh ? `${name}前${r.preHoliday}天` : `${r.preHoliday} day(s) before ${name}`);
  }
  if (r.swappedWorkday) parts.push(zh ? '调休上班' : 'swapped working day');
  if (r.tempC !== null) {
    const wet = r.rainMm !== null && r.rainMm > 1;
    parts.push(
      zh ? `${wet ? '雨' : '晴'} ${Math.round(r.tempC)}°C` : `${wet ? 'rain' : 'dry'} ${Math.round(r.tempC)} °C`,
    );
  }
  const q = (n: number) => quantityText(line, n);
  if (r.groupBuy > 0) parts.push(zh ? `团购预订 ${q(r.groupBuy)}` : `group-buy pre-orders ${q(r.groupBuy)}`);
  if (r.promo > 0) {
    const pct = Math.round(r.promo * 100);
    const name = r.promoRule ? (zh ? r.promoRule.name : r.promoRule.nameEn || r.promoRule.name) : '';
    parts.push(zh ? `促销${name ? ` ${name}` : ''} ${pct}%` : `promotion${name ? ` ${name}` : ''} ${pct} %`);
  }
  for (const e of r.effects) parts.push(`${featureWord(e.feature, zh)} ×${e.factor.toFixed(2)}`);
  const tail = zh
    ? `预测 ${q(line.forecast)}，安全库存 ${q(line.safety)}，现有 ${q(line.onHand)}${line.inTransit ? `，在途 ${q(line.inTransit)}` : ''}${line.reserved ? `，已预留 ${q(line.reserved)}` : ''}`
    : `forecast ${q(line.forecast)}, safety ${q(line.safety)}, on hand ${q(line.onHand)}${line.inTransit ? `, in transit ${q(line.inTransit)}` : ''}${line.reserved ? `, reserved ${q(line.reserved)}` : ''}`;
  return `${parts.join(' + ')} → ${tail}`;
}
