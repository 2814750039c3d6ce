// How the store hub decides who may sync with it while the WAN may be down: credentials are
// verified with the cloud's public key (learnt when the hub enrolled), the device must belong to
// this store, and revocations arrive as replicated `device_revoked` facts (the cloud's only, the
// latest wins). Pairing requests are forwarded to the cloud, which alone issues credentials.
import { authorNode, authorRoleOfNode, revocationKeyRange, stampWall, storeScope } from '../core';
import type { SyncStorage } from '../storage';
import {
  AuthError,
  syncError,
  verifyToken,
  type DeviceAuthority,
  type DeviceClaims,
  type DeviceReport,
  type DeviceRole,
  type EnrollResult,
} from '../protocol';
import { HttpError } from '../../http-kit';

/** A device of this store as the hub last saw it (memory only; the fleet view reads it via the hub's report). */
export interface SeenDevice {
  id: string;
  role: DeviceRole;
  lastSeenAt: string;
  report: DeviceReport | null;
}

export class HubAuthority implements DeviceAuthority {
  private readonly seenDevices = new Map<string, SeenDevice>();

  constructor(
    private readonly storage: SyncStorage,
    private readonly storeId: string,
    private readonly cloudUrl: string,
  ) {}

  private async publicKey(): Promise<string> {
    const saved = await this.storage.getMeta('sync.credential');
    if (!saved)
      throw syncError(
        'HUB_NOT_ENROLLED',
        'store hub has not paired with the cloud yet; try again shortly or sync with the cloud',
      );
    return (JSON.parse(saved) as EnrollResult).publicKey;
  }

  async verify(token: string | undefined): Promise<DeviceClaims> {
    const claims = verifyToken(token, await this.publicKey());
    if (claims.st !== this.storeId)
      throw new AuthError(
        'FORBIDDEN',
        `device ${claims.d} belongs to store ${claims.st}, this hub serves ${this.storeId}`,
      );
    const revokedAt = await this.latestRevocation(claims.d);
    if (revokedAt !== null && revokedAt >= claims.iat) {
      throw new AuthError('REVOKED', `device ${claims.d} was revoked; pair it again with a new code`);
    }
    return claims;
  }

  async seen(claims: DeviceClaims): Promise<void> {
    const was = this.seenDevices.get(claims.d);
    this.seenDevices.set(claims.d, {
      id: claims.d,
      role: claims.r,
      lastSeenAt: new Date().toISOString(),
      report: was?.report ?? null,
    });
  }

  async report(claims: DeviceClaims, report: DeviceReport): Promise<void> {
    await this.seen(claims);
    this.seenDevices.get(claims.d)!.report = report;
  }

  /** The store's devices that synced with this hub since it started, newest report each. */
  devices(): SeenDevice[] {
    return [...this.seenDevices.values()];
  }

  /**
   * When the cloud last revoked this device (ms), or null. Only revocations authored by the cloud
   * count, whatever else the log holds, and the latest one wins: a device cannot pre-empt its
   * revocation with an old one of its own, nor revoke another device.
   */
  private async latestRevocation(deviceId: string): Promise<number | null> {
    const { ops } = await this.storage.keyRange({
      t: 'fact',
      scope: storeScope(this.storeId),
      e: 'device_revoked',
      ...revocationKeyRange(deviceId),
    });
    let latest: number | null = null;
    for (const op of ops) {
      if (op.k !== deviceId && !op.k.startsWith(`${deviceId}.`)) continue;
      if (authorRoleOfNode(authorNode(op)) !== 'hq') continue;
      const at = Date.parse(String((op.b as Record<string, unknown>)['at']));
      const when = Number.isFinite(at) ? at : stampWall(op.id);
      if (latest === null || when > latest) latest = when;
    }
    return latest;
  }

  async enroll(input: { code: string; deviceId: string; role?: DeviceRole }): Promise<EnrollResult> {
    let r: Response;
    try {
      r = await fetch(`${this.cloudUrl.replace(/\/$/, '')}/sync/enroll`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input),
        signal: AbortSignal.timeout(10_000),
      });
    } catch {
      throw syncError('CLOUD_UNREACHABLE', 'pairing needs the cloud, which this hub cannot reach right now');
    }
    const body = (await r.json()) as EnrollResult & { ok: boolean; error?: { code: string; message: string } };
    if (!r.ok || !body.ok)
      throw new HttpError(r.status, body.error?.code ?? 'ENROLL_REFUSED', body.error?.message ?? 'pairing refused');
    // 403, not the table's 401: the code was valid, but for another store.
    if (body.storeId !== this.storeId)
      throw new HttpError(
        403,
        'ENROLL_REFUSED',
        `pairing code is for store ${body.storeId}, this hub serves ${this.storeId}`,
      );
    return body;
  }
}
