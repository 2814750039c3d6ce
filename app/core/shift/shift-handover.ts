// Cashier change (交接班, issue 13 item 16). The next cashier never silently carries on the
// last one's shift and sale: the till refuses their sales until they either take the open
// shift over here (the drawer is not counted; the outgoing cashier types their PIN, or a
// manager approves when the outgoing cashier has left) or close it with a Z count and open
// their own. A take-over parks the outgoing cashier's unfinished sale under their name, so it
// is recalled on purpose. Both are audited (`shift.handover`) and replicate with the audit.
import { PosError, type Shift, type StaffView } from '../../contract';
import { writeAudit } from '../audit';
import { confirmStaffPin, requireManagerApproval, type ManagerApproval } from '../auth';
import { openCartRow, parkCart } from '../cart';
import type { CoreContext } from '../context';
import { uuidv7 } from '../ids';
import { currentShiftRow, shiftRow, toShift } from './shift-service';

export interface HandoverInput extends ManagerApproval {
  /** The outgoing cashier's PIN, typed on the incoming cashier's screen. */
  outgoingPin?: string | undefined;
}

export async function handOverShift(ctx: CoreContext, staff: StaffView, input: HandoverInput): Promise<Shift> {
  const open = currentShiftRow(ctx.db, ctx.terminalId);
  if (!open) throw new PosError('SHIFT_NOT_OPEN');
  if (open.staff_id === staff.id) throw new PosError('CONFLICT', { reason: 'handover-self' });
  const confirmedBy = input.outgoingPin
    ? await confirmStaffPin(ctx, staff, open.staff_id, input.outgoingPin, 'handover.failed')
    : await requireManagerApproval(ctx, staff, input, 'shift-handover');
  const now = ctx.clock();
  const parkedId = ctx.db.transaction(() => {
    const cur = currentShiftRow(ctx.db, ctx.terminalId);
    if (!cur || cur.id !== open.id || cur.staff_id !== open.staff_id)
      throw new PosError('SHIFT_NOT_OPEN', { reason: 'closed-meanwhile' });
    ctx.db
      .prepare(
        'INSERT INTO shift_handovers (id, shift_id, from_staff_id, to_staff_id, to_staff_name, to_staff_role, confirmed_by_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(uuidv7(now), cur.id, cur.staff_id, staff.id, staff.name, staff.role, confirmedBy.id, now.toISOString());
    // The outgoing cashier's unfinished sale is parked under their name, not carried on.
    const cart = openCartRow(ctx.db);
    let parked: string | null = null;
    if (cart && cart.staff_id && cart.staff_id !== staff.id) {
      const lines = ctx.db.prepare('SELECT COUNT(*) AS n FROM cart_lines WHERE cart_id = ?').get(cart.id) as {
        n: number;
      };
      if (lines.n > 0) parked = parkCart(ctx, staff, open.staff_name).parkedId;
    }
    writeAudit(ctx.db, ctx.terminalId, now, {
      action: 'shift.handover',
      staffId: staff.id,
      approvedById: confirmedBy.id,
      detail: {
        shiftId: cur.id,
        fromStaffId: cur.staff_id,
        name: cur.staff_name,
        toStaffName: staff.name,
        ...(parked ? { parkedCartId: parked } : {}),
      },
    });
    return parked;
  })();
  ctx.logger.info(
    { shiftId: open.id, from: open.staff_id, to: staff.id, parked: parkedId !== null },
    'shift handed over',
  );
  return toShift(ctx.db, shiftRow(ctx.db, open.id)!);
}
