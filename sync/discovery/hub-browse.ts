// The till's side of hub discovery: ask the LAN for `_edgepos-hub._tcp` and collect the answers
// for a short while. Runs only when the technician asks (the wizard's "search the LAN"), never on
// a timer, so a till does not chatter on the store network.
import { hubFromService, uniqueHubs, HUB_SERVICE_TYPE, type DiscoveredHub } from './hub-record';
import { openResponder, type DiscoveryError } from './mdns-responder';

/** Hubs that answered within `timeoutMs` (default 2 s); rejects with DISCOVERY_UNAVAILABLE when mDNS cannot start. */
export function browseHubs(o: { timeoutMs?: number } = {}): Promise<DiscoveredHub[]> {
  return new Promise<DiscoveredHub[]>((resolve, reject) => {
    const found: DiscoveredHub[] = [];
    let settled = false;
    // `finish` runs from a timer or the socket's error event, never before the lines below it ran.
    const finish = (err: DiscoveryError | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      browser.stop();
      bonjour.destroy();
      if (err) reject(err);
      else resolve(uniqueHubs(found));
    };
    const timer = setTimeout(() => finish(null), o.timeoutMs ?? 2000);
    const bonjour = openResponder((err) => finish(err));
    const browser = bonjour.find({ type: HUB_SERVICE_TYPE, protocol: 'tcp' }, (service) => {
      const hub = hubFromService(service);
      if (hub) found.push(hub);
    });
  });
}
