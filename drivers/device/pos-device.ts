// Device model after UnifiedPOS/JavaPOS: open -> claim -> enable -> (use) -> disable ->
// release -> close. Only the claiming owner may enable or use the device; a second owner
// gets a clear error until the first releases. Events are typed per device kind.
import { EventEmitter } from 'node:events';
import type { Transport } from '../transports';

export type DeviceState = 'closed' | 'opened' | 'claimed' | 'enabled';
export type DeviceKind = 'printer' | 'scanner' | 'scale' | 'display' | 'drawer';

/** Bad input from a device: a stable code, English words for logs, and what exactly failed. */
export interface DeviceError {
  code: string;
  message: string;
  detail?: string;
}

export interface BaseDeviceEvents {
  statusUpdate: [{ status: string; message: string | null }];
  error: [DeviceError];
  outputComplete: [string];
  /** true when the device (re)connected, false when its link dropped. */
  connection: [boolean];
}

export class DeviceStateError extends Error {
  readonly code = 'DEVICE_STATE';
  constructor(message: string) {
    super(message);
    this.name = 'DeviceStateError';
  }
}

export class TypedEmitter<E extends { [K in keyof E]: unknown[] }> extends EventEmitter {
  override on<K extends keyof E & string>(event: K, listener: (...args: E[K]) => void): this {
    return super.on(event, listener as (...a: unknown[]) => void);
  }
  override once<K extends keyof E & string>(event: K, listener: (...args: E[K]) => void): this {
    return super.once(event, listener as (...a: unknown[]) => void);
  }
  override off<K extends keyof E & string>(event: K, listener: (...args: E[K]) => void): this {
    return super.off(event, listener as (...a: unknown[]) => void);
  }
  override emit<K extends keyof E & string>(event: K, ...args: E[K]): boolean {
    return super.emit(event, ...args);
  }
}

export abstract class PosDevice<E extends BaseDeviceEvents & { [K in keyof E]: unknown[] }> extends TypedEmitter<E> {
  private stateValue: DeviceState = 'closed';
  private ownerValue: string | null = null;
  abstract readonly kind: DeviceKind;

  constructor(
    readonly id: string,
    protected readonly transport: Transport,
  ) {
    super();
    // An 'error' event nobody listens to would throw; devices report errors, never crash.
    super.on('error', () => {});
    transport.on('close', () => {
      if (this.stateValue === 'closed') return;
      this.transport.off('data', this.onTransportData);
      this.stateValue = 'closed';
      this.ownerValue = null;
      (this.emit as (e: 'connection', v: boolean) => boolean)('connection', false);
    });
  }

  get state(): DeviceState {
    return this.stateValue;
  }
  get owner(): string | null {
    return this.ownerValue;
  }
  get uri(): string {
    return this.transport.uri;
  }
  get connected(): boolean {
    return this.transport.isOpen;
  }

  async open(): Promise<void> {
    if (this.stateValue !== 'closed') return;
    await this.transport.open();
    this.transport.on('data', this.onTransportData);
    this.stateValue = 'opened';
    await this.onOpened();
  }

  async claim(owner: string): Promise<void> {
    if (this.stateValue === 'closed') throw new DeviceStateError(`${this.id}: open the device before claiming it`);
    if (this.ownerValue && this.ownerValue !== owner)
      throw new DeviceStateError(`${this.id} is claimed by ${this.ownerValue}`);
    this.ownerValue = owner;
    if (this.stateValue === 'opened') this.stateValue = 'claimed';
  }

  async enable(owner: string): Promise<void> {
    this.assertOwner(owner);
    this.stateValue = 'enabled';
    await this.onEnabled();
    (this.emit as (e: 'connection', v: boolean) => boolean)('connection', true);
  }

  async disable(owner: string): Promise<void> {
    this.assertOwner(owner);
    if (this.stateValue === 'enabled') this.stateValue = 'claimed';
  }

  async release(owner: string): Promise<void> {
    this.assertOwner(owner);
    this.ownerValue = null;
    this.stateValue = 'opened';
  }

  async close(): Promise<void> {
    this.transport.off('data', this.onTransportData);
    this.ownerValue = null;
    this.stateValue = 'closed';
    await this.transport.close();
  }

  /** Open, claim and enable in one go, the usual sequence for a till that owns its devices. */
  async start(owner: string): Promise<void> {
    await this.open();
    await this.claim(owner);
    await this.enable(owner);
  }

  protected assertOwner(owner: string): void {
    if (this.stateValue === 'closed' || this.stateValue === 'opened')
      throw new DeviceStateError(`${this.id}: claim the device first`);
    if (this.ownerValue !== owner)
      throw new DeviceStateError(`${this.id} is claimed by ${this.ownerValue ?? 'nobody'}`);
  }

  protected assertEnabled(): void {
    if (this.stateValue !== 'enabled') throw new DeviceStateError(`${this.id} is not enabled`);
  }

  protected reportError(code: string, message: string, detail?: string): void {
    (this.emit as (e: 'error', d: DeviceError) => boolean)('error', { code, message, detail });
  }

  private readonly onTransportData = (d: Buffer): void => {
    try {
      this.onData(d);
    } catch (err) {
      this.reportError('DEVICE_DATA', `Unreadable data from ${this.id}`, (err as Error).message);
    }
  };

  protected abstract onData(d: Buffer): void;
  protected async onOpened(): Promise<void> {}
  protected async onEnabled(): Promise<void> {}
}
