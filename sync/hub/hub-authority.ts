// How the store hub decides who may sync with it while the WAN may be down: credentials are
// verified with the cloud's public key (learnt when the hub enrolled), the device must belong to
// this store, and revocations arrive as replicated `device_revoked` facts. Pairing requests are
// forwarded to the cloud, which alone issues credentials.
import type { SyncStorage } from '../storage';
import { AuthError, verifyToken, type DeviceAuthority, type DeviceClaims, type DeviceRole, type EnrollResult } from '../protocol';
import { HttpError } from '../protocol';

export class HubAuthority implements DeviceAuthority {
  constructor(private readonly storage: SyncStorage, private readonly storeId: string, private readonly cloudUrl: string) {}

  private async publicKey(): Promise<string> {
    const saved = await this.storage.getMeta('sync.credential');
    if (!saved) throw new HttpError(503, 'HUB_NOT_ENROLLED', 'store hub has not paired with the cloud yet; try again shortly or sync with the cloud');
    return (JSON.parse(saved) as EnrollResult).publicKey;
  }

  async verify(token: string | undefined): Promise<DeviceClaims> {
    const claims = verifyToken(token, await this.publicKey());
    if (claims.st !== this.storeId) throw new AuthError('FORBIDDEN', `device ${claims.d} belongs to store ${claims.st}, this hub serves ${this.storeId}`);
    const revoked = await this.storage.fact('device_revoked', claims.d);
    if (revoked && typeof revoked['at'] === 'string' && Date.parse(revoked['at']) >= claims.iat) {
      throw new AuthError('REVOKED', `device ${claims.d} was revoked; pair it again with a new code`);
    }
    return claims;
  }

  async enroll(input: { code: string; deviceId: string; role?: DeviceRole }): Promise<EnrollResult> {
    let r: Response;
    try {
      r = await fetch(`${this.cloudUrl.replace(/\/$/, '')}/sync/enroll`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input), signal: AbortSignal.timeout(10_000) });
    } catch {
      throw new HttpError(503, 'CLOUD_UNREACHABLE', 'pairing needs the cloud, which this hub cannot reach right now');
    }
    const body = (await r.json()) as EnrollResult & { ok: boolean; error?: { code: string; message: string } };
    if (!r.ok || !body.ok) throw new HttpError(r.status, body.error?.code ?? 'ENROLL_REFUSED', body.error?.message ?? 'pairing refused');
    if (body.storeId !== this.storeId) throw new HttpError(403, 'ENROLL_REFUSED', `pairing code is for store ${body.storeId}, this hub serves ${this.storeId}`);
    return body;
  }
}
