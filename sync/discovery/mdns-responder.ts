// One multicast DNS endpoint (bonjour-service over multicast-dns, UDP 5353 on every IPv4
// interface) that cannot take its process down. bonjour-service 1.4.4 registers no 'error'
// listener on its multicast-dns socket, so a failed bind (EADDRINUSE: another responder holds
// 5353 without sharing it; EACCES) is an unhandled 'error' event that ends the process
// (onlxltd/bonjour-service#91, fixed upstream after 1.4.4). We listen for it ourselves and hand
// it to the caller, who carries on without LAN discovery.
import { EventEmitter } from 'node:events';
import Bonjour from 'bonjour-service';

export class DiscoveryError extends Error {
  constructor(
    readonly code: 'DISCOVERY_UNAVAILABLE',
    message: string,
  ) {
    super(message);
    this.name = 'DiscoveryError';
  }
}

export function openResponder(onError: (err: DiscoveryError) => void): Bonjour {
  const fail = (err: unknown) =>
    onError(new DiscoveryError('DISCOVERY_UNAVAILABLE', `multicast DNS: ${(err as Error)?.message ?? String(err)}`));
  const bonjour = new Bonjour({}, fail);
  // The library keeps its multicast-dns emitter on a private field; reaching it is the only way
  // to listen before the asynchronous bind can fail.
  const mdns: unknown = (bonjour['server'] as { mdns?: unknown } | undefined)?.mdns;
  if (!(mdns instanceof EventEmitter)) throw new Error('bonjour-service changed: no multicast-dns emitter to guard');
  mdns.on('error', fail);
  return bonjour;
}
