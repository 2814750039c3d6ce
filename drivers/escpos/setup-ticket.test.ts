// The setup ticket prints what the technician typed as typed (receiptline's special characters
// in a hub address or device URI do not turn into formatting) and every device's result.
import { describe, expect, it } from 'vitest';
import { EscPosDecoder } from './decoder';
import { encodeReceipt } from './encode-receipt';
import { setupTicket } from './sample-receipt';

const printed = (doc: string) =>
  new EscPosDecoder()
    .push(encodeReceipt(doc, { width: 80 }))
    .filter((o) => o.op === 'text')
    .map((o) => (o as { text: string }).text)
    .join('');

describe('setupTicket', () => {
  it('carries store, terminal, hub, versions and each device with its result', () => {
    const text = printed(
      setupTicket({
        storeId: 'S001',
        terminalId: 'T02',
        hubUrl: 'http://hub_1.local:8791',
        devices: [
          { id: 'receipt', kind: 'printer', name: 'tcp://10.0.0.9:9100', result: 'passed' },
          { id: 'scale-1', kind: 'scale', name: 'serial:/dev/ttyUSB1|x', result: 'failed' },
          { id: 'gun', kind: 'scanner', name: 'hid:0c2e:0b61', result: 'not tested' },
        ],
        versions: { 'POS version': '1.2.3' },
        at: new Date('2026-12-05T10:00:00Z'),
      }),
    );
    expect(text).toContain('SETUP TICKET');
    expect(text).toContain('S001');
    expect(text).toContain('T02');
    expect(text).toContain('http://hub_1.local:8791');
    expect(text).toContain('serial:/dev/ttyUSB1|x');
    expect(text).toContain('1.2.3');
    expect(text).toContain('2026-12-05 10:00:00');
    expect(text).toMatch(/passed/);
    expect(text).toMatch(/FAILED/);
    expect(text).toMatch(/not tested/);
  });
});
