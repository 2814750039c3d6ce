// The status bar's count of new online orders, kept live from `orders.changed` events, with a
// short chime (Web Audio, no sound file) whenever the count goes up.
import { useEffect, useRef, useState } from 'react';
import type { StaffView, TillEvent } from '../../contract';
import type { ApiClient } from './api';

export interface OrderCount {
  newCount: number;
  conflictCount: number;
}

function chime(): void {
  try {
    const Ctx = (window as unknown as { AudioContext?: typeof AudioContext }).AudioContext;
    if (!Ctx) return;
    const ctx = new Ctx();
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = 880;
    gain.gain.setValueAtTime(0.2, ctx.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + 0.4);
    osc.connect(gain).connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.4);
    osc.onended = () => void ctx.close();
  } catch {
    /* no audio device: the count still shows */
  }
}

export function useOrderCount(
  api: ApiClient,
  subscribe: (cb: (ev: TillEvent) => void) => () => void,
  staff: StaffView | null,
  syncOn: boolean,
): OrderCount | null {
  const [count, setCount] = useState<OrderCount | null>(null);
  const last = useRef(0);
  const canSee = !!staff && staff.role !== 'technician' && syncOn;
  useEffect(() => {
    if (!canSee) {
      setCount(null);
      return;
    }
    const take = (c: OrderCount) => {
      if (c.newCount > last.current) chime();
      last.current = c.newCount;
      setCount(c);
    };
    api
      .call('orders.list', { status: 'new' })
      .then((r) => take({ newCount: r.newCount, conflictCount: r.conflictCount }))
      .catch(() => setCount(null));
    return subscribe((ev) => {
      if (ev.type === 'orders.changed') take({ newCount: ev.newCount, conflictCount: ev.conflictCount });
    });
  }, [api, subscribe, canSee]);
  return count;
}
