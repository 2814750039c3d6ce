// The first-run wizard's device tests as one table: each row names its test, its key, the device
// kind it proves (for the setup ticket) and how it runs; one component draws every row. A test
// passes or says in plain words what the device reports or what to check.
import type { DeviceView } from '../../../contract';
import type { Translate } from '../i18n';
import { deviceStatusText } from '../components/error-text';

export type TestName = 'print' | 'drawer' | 'scan' | 'weight';
export type TestResult = { state: 'running' | 'passed' | 'failed'; words: string };

/** What a test may use: the till's RPC with the wizard's session, the device list, the scanner. */
export interface TestContext {
  t: Translate;
  rpc<T>(method: string, input: unknown): Promise<T>;
  refreshDevices(): Promise<DeviceView[]>;
  managerPin: string;
  drawerReason: string;
  /** The next scan from any scanner (wedge or serial/HID) within `ms`, or null. */
  nextScan(ms: number): Promise<string | null>;
}

interface DeviceTest {
  name: TestName;
  key: 'F6' | 'F7' | 'F8' | 'F9';
  /** The device kind whose ticket line this test's result goes on. */
  kind: DeviceView['kind'];
  run(c: TestContext): Promise<TestResult>;
}

const passed = (words: string): TestResult => ({ state: 'passed', words });
const failed = (words: string): TestResult => ({ state: 'failed', words });

export const DEVICE_TESTS: readonly DeviceTest[] = [
  {
    name: 'print',
    key: 'F6',
    kind: 'printer',
    async run(c) {
      await c.rpc('devices.testPrint', {});
      // Queued is not printed: give the printer a moment, then read what it reports.
      await new Promise((r) => setTimeout(r, 1500));
      const printer = (await c.refreshDevices()).find((d) => d.configured && d.kind === 'printer');
      if (printer && printer.status !== 'ok') return failed(deviceStatusText(c.t, printer));
      return passed(c.t('wizard.test.print.passed'));
    },
  },
  {
    name: 'drawer',
    key: 'F7',
    kind: 'drawer',
    async run(c) {
      await c.rpc('devices.openDrawer', { reason: c.drawerReason, managerPin: c.managerPin });
      return passed(c.t('wizard.test.drawer.passed'));
    },
  },
  {
    name: 'scan',
    key: 'F8',
    kind: 'scanner',
    async run(c) {
      const data = await c.nextScan(20_000);
      if (data === null) return failed(c.t('wizard.test.scan.none'));
      return passed(c.t('wizard.test.scan.passed', { code: data.slice(0, 40) }));
    },
  },
  {
    name: 'weight',
    key: 'F9',
    kind: 'scale',
    async run(c) {
      const r = await c.rpc<{ weight: { grams: number } }>('devices.readWeight', {});
      if (r.weight.grams <= 0) return failed(c.t('wizard.test.weight.empty'));
      return passed(c.t('wizard.test.weight.passed', { grams: r.weight.grams }));
    },
  },
];

/** The setup ticket's line for each set-up device: the result of the test that proves its kind. */
export function ticketResults(
  devices: readonly DeviceView[],
  tests: Partial<Record<TestName, TestResult>>,
): Record<string, 'passed' | 'failed' | 'not tested'> {
  const out: Record<string, 'passed' | 'failed' | 'not tested'> = {};
  for (const d of devices.filter((x) => x.configured)) {
    // A kind no test proves (a customer display) takes the print test's result, as before.
    const name = DEVICE_TESTS.find((x) => x.kind === d.kind)?.name ?? 'print';
    const r = tests[name];
    out[d.id] = r?.state === 'passed' ? 'passed' : r?.state === 'failed' ? 'failed' : 'not tested';
  }
  return out;
}

export function DeviceTestRow({
  test,
  result,
  t,
  onRun,
}: {
  test: DeviceTest;
  result: TestResult | undefined;
  t: Translate;
  onRun: (name: TestName) => void;
}) {
  return (
    <li data-testid={`wizard-test-${test.name}`} data-state={result?.state ?? 'idle'}>
      <button type="button" onClick={() => onRun(test.name)}>
        {t(`wizard.test.${test.name}`)} <small>{test.key}</small>
      </button>
      <span className="result" data-testid={`wizard-test-${test.name}-words`}>
        {result?.words ?? ''}
      </span>
    </li>
  );
}
