// Public entry: one till = terminal core + store devices, composed the same for web and Electron.
export { openTill, type OpenTillOptions, type Till, type DeviceMode, type PaymentMode } from './open-till';
export { syncSettingsFromEnv } from './sync-settings';
export { tillSettingsFromEnv, SettingsError, type TillSettings, type LogLevel } from './till-settings';
export {
  attachPoleDisplay,
  createCustomerDisplayFeed,
  type CustomerDisplayFeed,
  type CustomerDisplayListener,
  type PoleDisplayLink,
} from './customer-display';
export { createTillFaceEmbedder, FACE_CROP_SCALE, type TillFaceEmbedder } from './face-embedder';
export { printSetupTicket, type SetupTicketDevice } from './setup-ticket';
export {
  createTillSetup,
  type LanHub,
  type SetupAction,
  type SetupReply,
  type TillPlan,
  type TillSetup,
} from './till-setup';
export { readPairing, pairedDataDir, PAIRING_FILE, type Pairing } from './pairing';
