// Public entry of the terminal core (plain Node, no Electron). The web host and Electron main
// call `openTerminalCore`; the devices layer uses the receipt document builder.
export { openTerminalCore, CORE_VERSION, BACKFILL_META, backfillIfNeeded } from './terminal';
export type { TerminalCore, TerminalCoreOptions, CallOptions, CoreSyncOptions } from './terminal';
export type { TillDevices, DeviceSetting, ShelfLabelData, ShelfLabelPrinter } from './devices';
export {
  SandboxPaymentCodeProvider,
  paymentCodeWallet,
  roundCash,
  planTenders,
  AlipayF2FProvider,
  paymentProviderFromFiles,
  WalletRouter,
  WechatPayV2Provider,
} from './payment';
export type { PaymentGatewayFiles } from './payment';
export type {
  PaymentCodeProvider,
  PaymentCodeChargeRequest,
  PaymentCodeRefundRequest,
  PaymentCodeResult,
  PaymentWallet,
} from './payment';
export {
  buildReceiptDocument,
  renderReceipt,
  renderReceiptText,
  renderReceiptSvg,
  receiptCpl,
  receiptEncoding,
  formatFen,
  buildRefundSlipDocument,
} from './receipt';
export type { ReceiptInput } from './receipt';
export {
  seedDemoData,
  demoProducts,
  seededRandom,
  syntheticCatalog,
  seedSyntheticCatalog,
  DEMO_STAFF,
  DEMO_STORE_ID,
  DEMO_TERMINAL_ID,
  DEMO_STORE_NAME,
} from './seed';
export type { DemoProduct, DemoStaff, SyntheticProduct } from './seed';
export { openTerminalDatabase, openSqlite, runMigrations, MIGRATIONS } from './db';
export type { Db, Migration } from './db';
export { upsertProducts } from './catalog';
export type { NewProduct } from './catalog';
export { uuidv7 } from './ids';
export {
  FaceService,
  FaceIndex,
  MIN_FACE_PX,
  FACE_MATCH_THRESHOLD,
  judgeFrame,
  replicaMemberDirectory,
  FaceTemplates,
  loadFaceKey,
} from './face';
export type { FaceAnalysis, FaceEmbedder, FaceMemberDirectory } from './face';
export { wecomContactUrl } from './members';
