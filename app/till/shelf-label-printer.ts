// The store's label printer for shelf labels (labels.print): the core's label data laid out by
// drivers/label (60 × 40 mm, TSPL or ZPL) and sent over the printer's transport. A printer fault
// becomes DEVICE_ERROR with the fault, so the back office says what to fix.
import { PosError } from '../contract';
import type { ShelfLabelData, ShelfLabelPrinter } from '../core';
import { createTransport, LabelPrinter, LabelPrinterError, shelfLabelJob, type LabelLanguage } from '../../drivers';

export function openShelfLabelPrinter(
  uri: string,
  language: LabelLanguage,
): ShelfLabelPrinter & { close(): Promise<void> } {
  const printer = new LabelPrinter(createTransport(uri), { language });
  return {
    async print(labels: readonly ShelfLabelData[], copies: number) {
      try {
        return await printer.print(labels.map((l) => shelfLabelJob(l, copies)));
      } catch (e) {
        if (e instanceof LabelPrinterError)
          throw new PosError('DEVICE_ERROR', { reason: 'label-printer', fault: e.code });
        throw new PosError('DEVICE_UNAVAILABLE', { reason: 'disconnected' });
      }
    },
    close: () => printer.close(),
  };
}
