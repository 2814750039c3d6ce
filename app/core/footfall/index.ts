export { storeConversion } from './conversion';
