// Demo data (Fresh Corner store, staff, products, stock) and the synthetic benchmark catalog.
export {
  seedDemoData,
  demoProducts,
  seededRandom,
  DEMO_STAFF,
  DEMO_STORE_ID,
  DEMO_TERMINAL_ID,
  DEMO_STORE_NAME,
} from './demo-seed';
export type { DemoProduct, DemoStaff } from './demo-seed';
export { syntheticCatalog, seedSyntheticCatalog } from './synthetic-catalog';
export type { SyntheticProduct } from './synthetic-catalog';
export type { DemoCategory } from './demo-catalog-data';
export { DEMO_CATEGORIES } from './demo-catalog-data';
