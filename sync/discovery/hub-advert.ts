// The store hub announces itself on the LAN so a new till's first-run wizard can list it: DNS-SD
// `_edgepos-hub._tcp` on its sync port, the store id in TXT (hub-record.ts). Announcing is best
// effort: when multicast DNS cannot start, the hub logs why and serves as before (the technician
// types the address).
import type { Logger } from 'pino';
import { hubInstanceName, hubTxt, HUB_SERVICE_TYPE } from './hub-record';
import { openResponder } from './mdns-responder';

export interface HubAdvert {
  /** Says goodbye on the LAN (so browsers drop the hub at once) and closes the socket. */
  stop(): Promise<void>;
}

export function advertiseHub(o: { port: number; storeId: string; hubId: string; log: Logger }): HubAdvert {
  let stopped = false;
  const bonjour = openResponder((err) => {
    if (!stopped)
      o.log.warn({ code: err.code, err: err.message }, 'hub not announced on the LAN; tills type its address');
  });
  bonjour.publish({
    name: hubInstanceName(o.storeId, o.hubId),
    type: HUB_SERVICE_TYPE,
    protocol: 'tcp',
    port: o.port,
    txt: hubTxt(o.storeId, o.hubId),
  });
  o.log.info(
    { type: `_${HUB_SERVICE_TYPE}._tcp`, port: o.port, store: o.storeId },
    'announcing the hub on the LAN (mDNS)',
  );
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        if (stopped) return resolve();
        stopped = true;
        const done = () => bonjour.destroy(() => resolve());
        // Goodbye packets first; give up on them after a second (a dead interface never calls back).
        const timer = setTimeout(done, 1000);
        bonjour.unpublishAll(() => {
          clearTimeout(timer);
          done();
        });
      }),
  };
}
