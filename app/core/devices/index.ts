export type { TillDevices, DeviceSetting, ShelfLabelData, ShelfLabelPrinter } from './till-devices';
