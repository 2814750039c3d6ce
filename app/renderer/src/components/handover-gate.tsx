// Cashier change (交接班, issue 13 item 16). When a cashier logs in while another cashier's
// shift is open, the till says so at once instead of letting them sell into it: the outgoing
// cashier types their PIN (or, left empty, a manager approves) and the shift is handed over,
// their unfinished sale parked under their name; Esc leaves it, and the core refuses sales
// until the handover (F10, then F9) or a Z close on the Shift screen.
import { useEffect, useRef } from 'react';
import type { Shift, StaffView } from '../../../contract';
import { useApp } from '../app-context';
import { formatFen, formatTime } from '../format';
import { usePrompt, useManagerOverride } from './prompt';

/** True when `shift` is open and belongs to a cashier other than `staff` (managers may step in). */
export function needsHandover(shift: Shift | null | undefined, staff: StaffView | null): shift is Shift {
  return !!shift && !!staff && staff.role === 'cashier' && shift.cashier.id !== staff.id;
}

export function HandoverGate(p: { shift: Shift; open: boolean; onDone: (s: Shift | null) => void }) {
  const { api, t, showError, showInfo } = useApp();
  const [ask, promptEl] = usePrompt();
  const override = useManagerOverride(ask);
  const busy = useRef(false);

  useEffect(() => {
    if (!p.open || busy.current) return;
    busy.current = true;
    const run = async () => {
      let done: Shift | null = null;
      const from = p.shift.cashier.name;
      const v = await ask({
        title: t('handover.title'),
        message: t('handover.message', {
          name: from,
          at: formatTime(p.shift.openedAt),
          float: formatFen(p.shift.float),
        }),
        testid: 'handover-dialog',
        fields: [{ name: 'pin', label: t('handover.pin', { name: from }), kind: 'pin', testid: 'handover-pin' }],
        onSubmit: async (vals) => {
          // A PIN: the outgoing cashier confirms here. Empty: a manager approves next.
          if (vals.pin) done = (await api.call('shift.handover', { outgoingPin: vals.pin })).shift;
        },
      });
      if (v && !done) {
        const r = await override((approval) => api.call('shift.handover', approval)).catch((err: unknown) => {
          showError(err);
          return null;
        });
        done = r?.shift ?? null;
      }
      if (done) showInfo(t('handover.done', { name: from }));
      p.onDone(done);
      busy.current = false;
    };
    void run();
  }, [p, ask, override, api, t, showError, showInfo]);

  return <>{promptEl}</>;
}
