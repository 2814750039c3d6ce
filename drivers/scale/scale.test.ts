// Scale driver against the scale emulator over a real socat PTY pair.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPtyPair, ScaleEmulator, type PtyPair } from '../emulators';
import { createTransport } from '../transports';
import type { DeviceError } from '../device';
import { Scale, ScaleError } from './scale';

let pty: PtyPair, emu: ScaleEmulator, scale: Scale, errors: DeviceError[];
beforeEach(async () => {
  pty = await createPtyPair();
  emu = new ScaleEmulator(pty.a);
  await emu.open();
  scale = new Scale('scale1', createTransport(`serial:${pty.b}?baud=9600`), { requestTimeoutMs: 250 });
  errors = [];
  scale.on('error', (e) => errors.push(e));
  await scale.start('till');
});
afterEach(async () => {
  await scale.close();
  await emu.close();
  await pty.close();
});

const code = async (p: Promise<unknown>) => {
  try {
    await p;
    return 'resolved';
  } catch (e) {
    return (e as ScaleError).code;
  }
};

describe('serial scale', () => {
  it('returns a stable weight in grams', async () => {
    emu.setWeight(1234);
    expect(await scale.readWeight()).toMatchObject({ grams: 1234, stable: true, net: false });
  });
  it('tare makes later readings net; zero clears', async () => {
    emu.setWeight(300);
    expect((await scale.tare()).net).toBe(true);
    emu.setWeight(1300);
    expect(await scale.readWeight()).toMatchObject({ grams: 1000, net: true });
    await scale.zero();
    expect(emu.tareGrams).toBe(0);
  });
  it('unstable, negative, overloaded, empty and silent scales give clear errors', async () => {
    emu.setWeight(500, false);
    expect(await code(scale.readWeight({ timeoutMs: 1500 }))).toBe('SCALE_UNSTABLE');
    emu.setWeight(-20, true);
    expect(await code(scale.readWeight({ timeoutMs: 1500 }))).toBe('SCALE_NEGATIVE');
    emu.setWeight(0, true);
    expect(await code(scale.readWeight({ timeoutMs: 1500 }))).toBe('SCALE_ZERO_WEIGHT');
    emu.overload = true;
    expect(await code(scale.readWeight({ timeoutMs: 1500 }))).toBe('SCALE_OVERLOAD');
    emu.overload = false;
    emu.silent = true;
    const err = await scale.readWeight({ timeoutMs: 400 }).catch((e: ScaleError) => e);
    expect(err).toBeInstanceOf(ScaleError);
    expect((err as ScaleError).code).toBe('SCALE_NO_ANSWER');
    expect((err as ScaleError).message).toContain('does not answer');
  });
  it('garbage and overlong frames raise error events; the scale stays usable', async () => {
    emu.sendRaw(Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x0d, 0x0a]));
    emu.sendRaw('ST,GS,+' + '9'.repeat(300) + '\r\n');
    emu.sendRaw('hello\r\n');
    emu.setWeight(777);
    expect((await scale.readWeight()).grams).toBe(777);
    expect(errors.map((e) => e.code)).toEqual(['SCALE_FRAME_INVALID', 'SCALE_FRAME_INVALID', 'SCALE_FRAME_INVALID']);
  });
});
