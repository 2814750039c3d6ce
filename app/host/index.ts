// Public entry of the web host (web mode of the till).
export { startWebHost, type StartWebHostOptions, type StartedWebHost } from './start-web-host';
export { createWebHostServer, listenWebHost, type WebHostOptions, type RunningWebHost } from './web-host';
export { DEFAULT_POS_PORT, hostSettingsFromEnv } from './settings';
