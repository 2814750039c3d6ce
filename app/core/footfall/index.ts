export { storeConversion, storeTimeZone } from './conversion';
export * from './conversion-math';
