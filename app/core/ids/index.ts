// Id generation for replicated facts.
export { uuidv7, UUID_V7_RE } from './uuid-v7';
