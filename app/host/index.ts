// Public entry of the web host (web mode of the till).
export { startWebHost, type StartWebHostOptions, type StartedWebHost } from './start-web-host';
export { createWebHostServer, listenWebHost, type WebHostOptions, type RunningWebHost } from './web-host';
export { DEFAULT_POS_PORT, hostSettingsFromEnv } from './settings';
export { runTillHost, type RunningTillHost, type TillHostOptions } from './till-host';
export { readPairing, pairedDataDir, PAIRING_FILE, type Pairing } from '../till';
