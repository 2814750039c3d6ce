// Serial retail scale: CAS-style weight frames, stable-weight detection, zero, tare, units.
export * from './weight-frame';
export * from './scale';
