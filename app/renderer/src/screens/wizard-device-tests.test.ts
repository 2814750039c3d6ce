// The wizard's device tests as a table: one row per key F6–F9, each proving one device kind, and
// the setup ticket's line for every set-up device taken from the test that proves its kind.
import { describe, expect, it } from 'vitest';
import type { DeviceView } from '../../../contract';
import { DEVICE_TESTS, ticketResults } from './wizard-device-tests';

const device = (id: string, kind: DeviceView['kind'], configured = true): DeviceView => ({
  id,
  kind,
  uri: 'emulated:',
  status: 'ok',
  message: null,
  configured,
  emulated: true,
  options: {},
});

describe('device tests', () => {
  it('are print F6, drawer F7, scan F8, weight F9', () => {
    expect(DEVICE_TESTS.map((x) => [x.name, x.key, x.kind])).toEqual([
      ['print', 'F6', 'printer'],
      ['drawer', 'F7', 'drawer'],
      ['scan', 'F8', 'scanner'],
      ['weight', 'F9', 'scale'],
    ]);
  });

  it('put each set-up device on the ticket with its test result, detected-only devices left off', () => {
    const devices = [
      device('printer-1', 'printer'),
      device('drawer-1', 'drawer'),
      device('scanner-1', 'scanner'),
      device('scale-1', 'scale'),
      device('pole-1', 'display'),
      device('hid-unknown', 'scanner', false),
    ];
    expect(
      ticketResults(devices, {
        print: { state: 'passed', words: '' },
        scan: { state: 'failed', words: '' },
        weight: { state: 'running', words: '' },
      }),
    ).toEqual({
      'printer-1': 'passed',
      'drawer-1': 'not tested',
      'scanner-1': 'failed',
      'scale-1': 'not tested',
      // No test proves a customer display: it takes the print test's result.
      'pole-1': 'passed',
    });
  });
});
