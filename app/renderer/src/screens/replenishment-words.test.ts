// The reason of a suggested order line in the manager's words, in both till languages: the
// group-buy pre-orders and the promotion behind a forecast are named, in the product's unit.
import { describe, expect, it } from 'vitest';
import type { ReplenishmentLine } from '../../../contract';
import { reasonText } from './replenishment-words';

const line: ReplenishmentLine = {
  sku: '100101',
  name: '小白菜',
  nameEn: 'Pak choi',
  category: 'veg',
  supplier: '城东蔬菜基地 East Veg Farm',
  unit: 'each',
  family: 'leafy',
  casePack: 6,
  shelfLifeDays: 2,
  forecast: 120,
  safety: 8,
  onHand: 40,
  inTransit: 0,
  reserved: 36,
  suggested: 126,
  method: 'ridge',
  criticalRatio: 0.6,
  historyDays: 120,
  reason: {
    dow: 5,
    holiday: null,
    preHoliday: 0,
    preHolidayOf: null,
    swappedWorkday: false,
    tempC: 28,
    rainMm: 0,
    groupBuy: 36,
    promo: 0,
    promoRule: null,
    effects: [],
  },
};

describe('replenishment reason words', () => {
  it('says Saturday, the weather and the group-buy pre-orders before the forecast, in Chinese and English', () => {
    expect(reasonText(line, 'zh-CN')).toBe('周六 + 晴 28°C + 团购预订 36 → 预测 120，安全库存 8，现有 40，已预留 36');
    expect(reasonText(line, 'en')).toBe(
      'Sat + dry 28 °C + group-buy pre-orders 36 → forecast 120, safety 8, on hand 40, reserved 36',
    );
  });

  it('names the promotion and its depth, and shows a weighed product’s pre-orders in kg', () => {
    const promo = {
      ...line,
      unit: 'weighed' as const,
      forecast: 52_000,
      safety: 4_000,
      onHand: 10_000,
      reserved: 12_500,
      reason: {
        ...line.reason,
        groupBuy: 12_500,
        promo: 0.3,
        promoRule: { name: '水果七折', nameEn: 'Fruit 30 % off' },
      },
    };
    expect(reasonText(promo, 'zh-CN')).toBe(
      '周六 + 晴 28°C + 团购预订 12.5 kg + 促销 水果七折 30% → 预测 52.0 kg，安全库存 4.0 kg，现有 10.0 kg，已预留 12.5 kg',
    );
    expect(reasonText(promo, 'en')).toContain('group-buy pre-orders 12.5 kg + promotion Fruit 30 % off 30 %');
    expect(reasonText({ ...promo, reason: { ...promo.reason, promoRule: null } }, 'en')).toContain('promotion 30 %');
  });
});
