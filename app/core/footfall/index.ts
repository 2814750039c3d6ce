// footfall.conversion: the back-office conversion report read from the replicated facts.
export { storeConversion, storeTimeZone } from './conversion';
