// Web mode: scans taken while the till host restarts are kept, in order, and replayed when the
// host answers again, so an item scanned during a restart is never lost (issue 13 item 12). A
// scan made while others wait joins the end of the line, so the cart gets them in scan order.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../api';

/**
 * `scanOnce(code)` scans into the cart and resolves false only when the host could not be
 * reached (anything else it reports itself). Returns the queue-aware `scan`, the codes waiting,
 * and `discard` for a cashier who would rather scan again.
 */
export function useScanQueue(api: ApiClient, scanOnce: (code: string) => Promise<boolean>) {
  const [queued, setQueued] = useState<string[]>([]);
  const queue = useRef<string[]>([]);
  const replaying = useRef(false);
  const scanRef = useRef(scanOnce);
  scanRef.current = scanOnce;
  const set = (q: string[]) => {
    queue.current = q;
    setQueued(q);
  };

  const replay = useCallback(async () => {
    if (replaying.current) return;
    replaying.current = true;
    try {
      for (let code = queue.current[0]; code !== undefined; code = queue.current[0]) {
        if (!(await scanRef.current(code))) return; // still down: it stays first in line
        set(queue.current.slice(1));
      }
    } finally {
      replaying.current = false;
    }
  }, []);

  useEffect(
    () =>
      api.onOnlineChange((up) => {
        if (up) void replay();
      }),
    [api, replay],
  );

  const scan = useCallback(
    async (code: string) => {
      if (queue.current.length > 0) {
        set([...queue.current, code]);
        if (api.isOnline) void replay();
        return;
      }
      if (!(await scanRef.current(code))) set([...queue.current, code]);
    },
    [api, replay],
  );

  const discard = useCallback(() => set([]), []);
  return { scan, queued, discard };
}
