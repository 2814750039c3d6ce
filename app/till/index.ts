// Public entry: one till = terminal core + store devices, composed the same for web and Electron.
export { openTill, type OpenTillOptions, type Till, type DeviceMode } from './open-till';
export { syncSettingsFromEnv } from './sync-settings';
export {
  attachPoleDisplay, createCustomerDisplayFeed, paidHoldMsFromEnv,
  type CustomerDisplayFeed, type CustomerDisplayListener, type PoleDisplayLink,
} from './customer-display';
