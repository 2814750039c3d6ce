// Demo store: ordering parameters for the fresh categories and 120 days of daily demand history
// before the seed day (source 'demo'), drawn from the synthetic store generator with each demo
// product mapped to a product family, with each day's promotion depth and group-buy pre-orders,
// plus the next three days' weather forecast. Only behind the demo seed; a real store imports its
// history from its previous POS or starts from its own sales.
import type { Db } from '../db';
import { addDays, generateStoreHistory, familyProfile, type FamilyId } from '../forecast';

const CATEGORY_FAMILY: Record<string, { family: FamilyId; supplier: string }> = {
  veg: { family: 'leafy', supplier: '城东蔬菜基地 East Veg Farm' },
  'weighed-produce': { family: 'leafy', supplier: '城东蔬菜基地 East Veg Farm' },
  fruit: { family: 'fruit', supplier: '鲜果汇 Fresh Fruit Co.' },
  bakery: { family: 'bakery', supplier: '麦香坊 Wheat House Bakery' },
  dairy: { family: 'dairy', supplier: '光明乳业 Bright Dairy' },
  meat: { family: 'meat', supplier: '双汇冷链 Shuanghui Cold Chain' },
  grain: { family: 'pantry', supplier: '中粮 COFCO' },
};

/** Grams per demand unit for weighed products (a customer buys about 400 g). */
const GRAMS_PER_UNIT = 400;

export function seedReplenishmentDemo(db: Db, at: Date): void {
  const products = db
    .prepare('SELECT sku, category, unit, price FROM products WHERE active = 1 ORDER BY sku')
    .all() as { sku: string; category: string; unit: 'each' | 'weighed'; price: number }[];
  const days = 120;
  const today = at.toISOString().slice(0, 10);
  const from = addDays(today, -days);
  const history = generateStoreHistory({ seed: 20261205, from, days: days + 3, perFamily: 4 });
  const insertItem = db.prepare(
    'INSERT OR IGNORE INTO replenishment_items (sku, family, supplier, case_pack, shelf_life_days, lead_days, unit_cost) VALUES (?, ?, ?, ?, ?, 1, ?)',
  );
  const insertDay = db.prepare(
    "INSERT OR IGNORE INTO demand_history (sku, day, units, stockout, promo, group_buy, source) VALUES (?, ?, ?, ?, ?, ?, 'demo')",
  );
  const used = new Map<FamilyId, number>();
  for (const p of products) {
    const map = CATEGORY_FAMILY[p.category];
    if (!map) continue;
    const f = familyProfile(map.family);
    const series = history.products.filter((h) => h.product.family === map.family);
    const n = used.get(map.family) ?? 0;
    used.set(map.family, n + 1);
    const s = series[n % series.length]!;
    const weighed = p.unit === 'weighed';
    insertItem.run(
      p.sku,
      map.family,
      map.supplier,
      weighed ? 1000 : f.casePack,
      f.shelfLifeDays,
      Math.round(p.price * (1 - f.margin)),
    );
    // Products sharing a series differ by a factor, so the demo lines are not all alike.
    const scale = (weighed ? GRAMS_PER_UNIT : 1) * (0.6 + ((n * 37) % 10) / 10);
    for (const d of s.days.slice(0, days))
      insertDay.run(
        p.sku,
        d.day,
        Math.round(d.sales * scale),
        d.stockout ? 1 : 0,
        d.promo,
        Math.round(d.groupBuy * scale),
      );
  }
  const weather = db.prepare(
    'INSERT OR IGNORE INTO weather_forecasts (day, temp_c, rain_mm, received_at) VALUES (?, ?, ?, ?)',
  );
  for (const w of history.weather.slice(days)) weather.run(w.day, w.forecastTempC, w.forecastRainMm, at.toISOString());
}
