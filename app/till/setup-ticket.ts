// The first-run wizard's setup ticket on this till's receipt printer (the web host asks for it;
// the layout is drivers/escpos setupTicket). Throws the hub's error when no printer is set up.
import { setupTicket, type SetupTicketDevice } from '../../drivers';
import type { Till } from './open-till';

export type { SetupTicketDevice };

export function printSetupTicket(
  till: Till,
  o: { hubUrl: string; devices: readonly SetupTicketDevice[]; versions: Readonly<Record<string, string>>; at: Date },
): { jobId: string } {
  if (!till.hub) throw new Error('No receipt printer is set up for this till.');
  const doc = setupTicket({ storeId: till.core.storeId, terminalId: till.core.terminalId, ...o });
  const { jobId } = till.hub.printReceipt(doc, { saleId: `setup-ticket-${o.at.getTime()}` });
  return { jobId };
}
