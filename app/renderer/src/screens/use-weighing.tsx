// Weighing a loose item: the scale first (WeighDialog), typed grams when there is no scale or
// the cashier asks for it. Resolves with grams, or null when the cashier cancels.
import { useState, type ReactNode } from 'react';
import { useApp } from '../app-context';
import { fieldError } from '../components/error-text';
import type { Ask } from '../components/prompt';
import { WeighDialog, type WeighResult } from '../components/weigh-dialog';
import { parseGrams } from '../format';

export function useWeighing(ask: Ask): {
  weighGrams(pricePerKg: number, name: string): Promise<number | null>;
  weighDialog: ReactNode;
} {
  const { t } = useApp();
  const [weighing, setWeighing] = useState<{
    pricePerKg: number;
    name: string;
    resolve: (r: WeighResult) => void;
  } | null>(null);
  const weigh = (pricePerKg: number, name: string) =>
    new Promise<WeighResult>((resolve) => setWeighing({ pricePerKg, name, resolve })).finally(() => setWeighing(null));

  const askGrams = async (name: string, message?: string): Promise<number | null> => {
    const v = await ask({
      title: t('weight.title', { name }),
      testid: 'weight-dialog',
      ...(message ? { message } : {}),
      fields: [{ name: 'grams', label: t('weight.label'), kind: 'grams', testid: 'weight-input' }],
      onSubmit: async (vals) => {
        if (parseGrams(vals.grams ?? '') === null) throw fieldError(t, t('weight.label'));
      },
    });
    return v ? parseGrams(v.grams ?? '') : null;
  };

  const weighGrams = async (pricePerKg: number, name: string): Promise<number | null> => {
    const weighed = await weigh(pricePerKg, name);
    if (weighed === null) return null;
    return 'grams' in weighed ? weighed.grams : askGrams(name, weighed.manual ?? undefined);
  };

  const weighDialog = weighing && (
    <WeighDialog pricePerKg={weighing.pricePerKg} name={weighing.name} onDone={weighing.resolve} />
  );
  return { weighGrams, weighDialog };
}
