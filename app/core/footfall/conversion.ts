// Footfall-to-sales conversion for the back office. PLACEHOLDER until the footfall work lands:
// answers NOT_FOUND so callers see a clear error rather than invented figures.
import { PosError, type ConversionReport } from '../../contract';
import type { CoreContext } from '../context';
import type { TerminalSync } from '../../../sync/terminal';

export async function storeConversion(_ctx: CoreContext, _sync: TerminalSync | null, _date?: string): Promise<ConversionReport> {
  throw new PosError('NOT_FOUND', '客流数据尚未接入 / Footfall is not available on this terminal yet');
}
