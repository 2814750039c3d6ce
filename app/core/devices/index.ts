export type { TillDevices, DeviceSetting } from './till-devices';
