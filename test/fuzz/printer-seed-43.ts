// The fuzz suite's TCP input that hung the printer emulator (FUZZ_SEED=43, case 142), as the
// hex of the socket writes it came in: the GS 8 L command and its length arrive in two writes,
// and the length's top byte, 0x96, read as negative (docs/fuzzing.md).
export const SEED_43_TCP_WRITES: readonly string[] = [
  '1c263b3040d340d9b0fbf31b40d3d238d9d76e3a595553533e5d3c0adc3243c299b94bf68b3a3d3b6339425a2a2d1b40',
  '1cbba81294',
  '600b7ec65691',
  '148a5f1aa432',
  '181d38d88205',
  '5dbc96edf4494b7bec74',
  'c1',
  '74',
];
