// The cloud decides who may sync: one-time enrollment codes, the signing key (kept in Postgres
// so every stateless instance signs and verifies alike), and the devices table with revocation.
import { randomBytes } from 'node:crypto';
import type { PgSyncStorage } from '../storage';
import { AuthError, generateSigningKeys, issueToken, scopesFor, verifyToken, type DeviceAuthority, type DeviceClaims, type DeviceRole, type EnrollResult, type SigningKeys } from '../protocol';

export interface CloudAuthorityOptions {
  /** A reusable demo pairing code for `demoStoreId` (documented in docs/sync.md); '' disables it. */
  demoEnrollCode: string;
  demoStoreId: string;
}

export class CloudAuthority implements DeviceAuthority {
  private keys: SigningKeys | null = null;
  private lastSeenWrite = new Map<string, number>();

  constructor(private readonly storage: PgSyncStorage, private readonly opts: CloudAuthorityOptions) {}

  async init(): Promise<void> {
    const T = this.storage.table;
    const db = this.storage.db;
    await db.query(`CREATE TABLE IF NOT EXISTS ${T}.signing_key (id int PRIMARY KEY, public_pem text NOT NULL, private_pem text NOT NULL)`);
    await db.query(`CREATE TABLE IF NOT EXISTS ${T}.enroll_codes (code text PRIMARY KEY, store_id text NOT NULL, role text NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), used_by text, used_at timestamptz)`);
    await db.query(`CREATE TABLE IF NOT EXISTS ${T}.devices (id text PRIMARY KEY, store_id text NOT NULL, role text NOT NULL, enrolled_at timestamptz NOT NULL DEFAULT now(), revoked_at timestamptz, last_seen_at timestamptz)`);
    const k = generateSigningKeys();
    // First instance to start creates the key; every other instance reads the same one.
    await db.query(`INSERT INTO ${T}.signing_key (id, public_pem, private_pem) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING`, [k.publicKeyPem, k.privateKeyPem]);
    const row = (await db.query<{ public_pem: string; private_pem: string }>(`SELECT public_pem, private_pem FROM ${T}.signing_key WHERE id = 1`)).rows[0]!;
    this.keys = { publicKeyPem: row.public_pem, privateKeyPem: row.private_pem };
  }

  get publicKey(): string {
    if (!this.keys) throw new Error('CloudAuthority.init() not called');
    return this.keys.publicKeyPem;
  }

  async createEnrollCode(storeId: string, role: DeviceRole): Promise<string> {
    const raw = randomBytes(6).toString('hex').toUpperCase();
    const code = `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;
    await this.storage.db.query(`INSERT INTO ${this.storage.table}.enroll_codes (code, store_id, role) VALUES ($1, $2, $3)`, [code, storeId, role]);
    return code;
  }

  async enroll(input: { code: string; deviceId: string; role?: DeviceRole }): Promise<EnrollResult> {
    const T = this.storage.table;
    let storeId: string;
    let role: DeviceRole;
    if (this.opts.demoEnrollCode && input.code === this.opts.demoEnrollCode) {
      storeId = this.opts.demoStoreId;
      role = input.role === 'hub' ? 'hub' : 'terminal';
    } else {
      // Single statement: two devices racing for one code cannot both win it.
      const r = await this.storage.db.query<{ store_id: string; role: DeviceRole }>(
        `UPDATE ${T}.enroll_codes SET used_by = $2, used_at = now() WHERE code = $1 AND used_by IS NULL RETURNING store_id, role`, [input.code, input.deviceId]);
      const row = r.rows[0];
      if (!row) throw new AuthError('ENROLL_REFUSED', 'pairing code is unknown or already used; ask HQ for a new one');
      storeId = row.store_id;
      role = row.role;
    }
    await this.storage.db.query(
      `INSERT INTO ${T}.devices (id, store_id, role) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET store_id = excluded.store_id, role = excluded.role, revoked_at = NULL, enrolled_at = now()`,
      [input.deviceId, storeId, role]);
    const claims: DeviceClaims = { d: input.deviceId, st: storeId, r: role, iat: Date.now() };
    const { read, write } = scopesFor(claims);
    return { token: issueToken(claims, this.keys!.privateKeyPem), deviceId: input.deviceId, storeId, role, read, write, publicKey: this.publicKey };
  }

  async verify(token: string | undefined): Promise<DeviceClaims> {
    const claims = verifyToken(token, this.publicKey);
    const r = await this.storage.db.query<{ revoked_at: string | null; enrolled_at: Date }>(`SELECT revoked_at, enrolled_at FROM ${this.storage.table}.devices WHERE id = $1`, [claims.d]);
    const row = r.rows[0];
    if (!row) throw new AuthError('UNAUTHENTICATED', 'device is not enrolled with this cloud');
    if (row.revoked_at) throw new AuthError('REVOKED', `device ${claims.d} was revoked; pair it again with a new code`);
    // A token issued before the latest enrollment (e.g. after revoke + re-pair) no longer counts.
    if (claims.iat + 1000 < new Date(row.enrolled_at).getTime()) throw new AuthError('REVOKED', 'device credential was replaced by a newer enrollment');
    return claims;
  }

  async seen(claims: DeviceClaims): Promise<void> {
    const now = Date.now();
    if ((this.lastSeenWrite.get(claims.d) ?? 0) > now - 2000) return;
    this.lastSeenWrite.set(claims.d, now);
    await this.storage.db.query(`UPDATE ${this.storage.table}.devices SET last_seen_at = now() WHERE id = $1`, [claims.d]);
  }

  async revoke(deviceId: string): Promise<{ storeId: string } | null> {
    const r = await this.storage.db.query<{ store_id: string }>(`UPDATE ${this.storage.table}.devices SET revoked_at = now() WHERE id = $1 RETURNING store_id`, [deviceId]);
    return r.rows[0] ? { storeId: r.rows[0].store_id } : null;
  }

  /** When any device of the store last synced with the cloud (staleness of its stock). */
  async storeLastSeen(storeId: string): Promise<Date | null> {
    const r = await this.storage.db.query<{ m: Date | null }>(`SELECT max(last_seen_at) AS m FROM ${this.storage.table}.devices WHERE store_id = $1 AND revoked_at IS NULL`, [storeId]);
    return r.rows[0]?.m ? new Date(r.rows[0].m) : null;
  }
}
