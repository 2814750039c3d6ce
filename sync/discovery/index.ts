// sync/discovery: store hubs announced and found on the LAN (mDNS / DNS-SD `_edgepos-hub._tcp`).
export { advertiseHub, type HubAdvert } from './hub-advert';
export { browseHubs } from './hub-browse';
export { DiscoveryError } from './mdns-responder';
export { hubFromService, HUB_SERVICE_TYPE, type DiscoveredHub } from './hub-record';
