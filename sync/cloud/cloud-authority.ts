// The cloud decides who may sync: one-time enrollment codes, the signing key (kept in Postgres
// so every stateless instance signs and verifies alike), and the devices table with revocation.
// A device is (store, terminal id): every till defaults to `T01`, so an id alone would let one
// store's enrollment replace another store's till. Re-enrolling an active device of the same
// store needs a technician's explicit `replace: true`.
import { randomBytes } from 'node:crypto';
import type { PgSyncStorage } from '../storage';
import {
  AuthError,
  deviceKey,
  generateSigningKeys,
  issueToken,
  scopesFor,
  verifyToken,
  type DeviceAuthority,
  type DeviceClaims,
  type DeviceReport,
  type DeviceRole,
  type EnrollRequest,
  type EnrollResult,
  type SigningKeys,
  signMemberCode,
} from '../protocol';

export interface CloudAuthorityOptions {
  /** A reusable demo pairing code for `demoStoreId` (documented in docs/sync.md); '' disables it. Demo mode only. */
  demoEnrollCode: string;
  demoStoreId: string;
  /** Clock for the device-check cache (tests); default Date.now. */
  now?: () => number;
}

/**
 * How long an instance trusts a device row it read (enrolled, not revoked, which credential):
 * a store pushes and pulls several times a second, and each check was a round trip of its own.
 * A revocation or replacement made on this instance counts at once (its entry is dropped); made
 * on another instance, within this bound. Rows of revoked or unknown devices are never kept.
 */
export const DEVICE_CHECK_MS = 1000;
const DEVICE_CHECKS_MAX = 50_000;

interface DeviceRow {
  revoked_at: string | null;
  enrolled_at: Date;
  credential_iat: string | null;
}

/** How long a pairing code made by the admin API stays valid unless it says otherwise. */
const ENROLL_CODE_TTL_MINUTES = 120;

export class CloudAuthority implements DeviceAuthority {
  private keys: SigningKeys | null = null;
  private lastSeenWrite = new Map<string, number>();
  private deviceChecks = new Map<string, { at: number; row: DeviceRow }>();
  private readonly now: () => number;

  constructor(
    private readonly storage: PgSyncStorage,
    private readonly opts: CloudAuthorityOptions,
  ) {
    this.now = opts.now ?? Date.now;
  }

  async init(): Promise<void> {
    const T = this.storage.table;
    // Under the storage's migration lock, in one transaction: instances starting together on a
    // fresh schema would otherwise race on CREATE TABLE (`type "enroll_codes" already exists`).
    await this.storage.migrateWith(async (db) => {
      await db.query(
        `CREATE TABLE IF NOT EXISTS ${T}.signing_key (id int PRIMARY KEY, public_pem text NOT NULL, private_pem text NOT NULL)`,
      );
      await db.query(
        `CREATE TABLE IF NOT EXISTS ${T}.enroll_codes (code text PRIMARY KEY, store_id text NOT NULL, role text NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), used_by text, used_at timestamptz)`,
      );
      await db.query(
        `CREATE TABLE IF NOT EXISTS ${T}.devices (id text NOT NULL, store_id text NOT NULL, role text NOT NULL, enrolled_at timestamptz NOT NULL DEFAULT now(), revoked_at timestamptz, last_seen_at timestamptz, PRIMARY KEY (store_id, id))`,
      );
      // Databases from before device = store + id keyed devices by id alone: widen the key.
      const pk = await db.query<{ n: number }>(
        `SELECT array_length(conkey, 1) AS n FROM pg_constraint WHERE conrelid = '${T}.devices'::regclass AND contype = 'p'`,
      );
      if (pk.rows[0] && Number(pk.rows[0].n) === 1) {
        await db.query(`ALTER TABLE ${T}.devices DROP CONSTRAINT devices_pkey`);
        await db.query(`ALTER TABLE ${T}.devices ADD PRIMARY KEY (store_id, id)`);
      }
      // issuedAt of the device's current credential: an older one is a replaced credential, even
      // when the replacement came within the same second (enrolled_at alone cannot tell).
      await db.query(`ALTER TABLE ${T}.devices ADD COLUMN IF NOT EXISTS credential_iat bigint`);
      // The device's latest status report for the fleet view (sync/protocol/device-report.ts).
      await db.query(`ALTER TABLE ${T}.devices ADD COLUMN IF NOT EXISTS report jsonb`);
      await db.query(`ALTER TABLE ${T}.devices ADD COLUMN IF NOT EXISTS reported_at timestamptz`);
      // Pairing codes expire (default 2 h after they are made); codes made before this column have none.
      await db.query(`ALTER TABLE ${T}.enroll_codes ADD COLUMN IF NOT EXISTS expires_at timestamptz`);
    });
    const db = this.storage.db;
    const k = generateSigningKeys();
    // First instance to start creates the key; every other instance reads the same one.
    await db.query(
      `INSERT INTO ${T}.signing_key (id, public_pem, private_pem) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING`,
      [k.publicKeyPem, k.privateKeyPem],
    );
    const row = (
      await db.query<{ public_pem: string; private_pem: string }>(
        `SELECT public_pem, private_pem FROM ${T}.signing_key WHERE id = 1`,
      )
    ).rows[0]!;
    this.keys = { publicKeyPem: row.public_pem, privateKeyPem: row.private_pem };
  }

  get publicKey(): string {
    if (!this.keys) throw new Error('CloudAuthority.init() not called');
    return this.keys.publicKeyPem;
  }

  /** A member code (what the mini-program shows), signed with the chain key every paired till holds. */
  signMemberCode(memberId: string, ttlMs?: number): { code: string; expiresAt: string } {
    if (!this.keys) throw new Error('CloudAuthority.init() not called');
    const r = signMemberCode(memberId, this.keys.privateKeyPem, { ttlMs });
    return { code: r.code, expiresAt: new Date(r.expiresAt).toISOString() };
  }

  /** A one-time pairing code for a device of the store, valid `ttlMinutes` (default 120). */
  async createEnrollCode(
    storeId: string,
    role: DeviceRole,
    ttlMinutes = ENROLL_CODE_TTL_MINUTES,
  ): Promise<{ code: string; expiresAt: string }> {
    const raw = randomBytes(6).toString('hex').toUpperCase();
    const code = `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;
    const r = await this.storage.db.query<{ expires_at: Date }>(
      `INSERT INTO ${this.storage.table}.enroll_codes (code, store_id, role, expires_at)
       VALUES ($1, $2, $3, now() + make_interval(mins => $4::int)) RETURNING expires_at`,
      [code, storeId, role, ttlMinutes],
    );
    return { code, expiresAt: new Date(r.rows[0]!.expires_at).toISOString() };
  }

  async enroll(input: EnrollRequest): Promise<EnrollResult> {
    const T = this.storage.table;
    const db = this.storage.db;
    const demo = Boolean(this.opts.demoEnrollCode) && input.code === this.opts.demoEnrollCode;
    let storeId: string;
    let role: DeviceRole;
    if (demo) {
      storeId = this.opts.demoStoreId;
      role = input.role === 'hub' ? 'hub' : 'terminal';
    } else {
      const r = await db.query<{ store_id: string; role: DeviceRole; used_by: string | null; expired: boolean }>(
        `SELECT store_id, role, used_by, (expires_at IS NOT NULL AND expires_at <= now()) AS expired FROM ${T}.enroll_codes WHERE code = $1`,
        [input.code],
      );
      const row = r.rows[0];
      if (!row || row.used_by !== null)
        throw new AuthError(
          'ENROLL_REFUSED',
          'pairing code is unknown or already used; ask HQ for a new one',
          row?.store_id,
        );
      if (row.expired)
        throw new AuthError('ENROLL_REFUSED', 'pairing code has expired; ask HQ for a new one', row.store_id);
      storeId = row.store_id;
      role = row.role;
    }
    // Checked before the code is used up, so a till set up for the wrong store keeps the code.
    if (input.storeId && input.storeId !== storeId) {
      throw new AuthError(
        'FORBIDDEN',
        `pairing code is for store ${storeId}, this device is set up for store ${input.storeId}`,
      );
    }
    const existing = (
      await db.query<{ revoked_at: Date | null; credential_iat: string | null }>(
        `SELECT revoked_at, credential_iat FROM ${T}.devices WHERE store_id = $1 AND id = $2`,
        [storeId, input.deviceId],
      )
    ).rows[0];
    if (existing && !existing.revoked_at && !input.replace) throw this.conflict(storeId, input.deviceId);
    if (!demo) {
      // Single statement: two devices racing for one code cannot both win it.
      const used = await db.query(
        `UPDATE ${T}.enroll_codes SET used_by = $2, used_at = now()
         WHERE code = $1 AND used_by IS NULL AND (expires_at IS NULL OR expires_at > now()) RETURNING code`,
        [input.code, deviceKey({ st: storeId, d: input.deviceId })],
      );
      if (!used.rows[0])
        throw new AuthError('ENROLL_REFUSED', 'pairing code is unknown or already used; ask HQ for a new one', storeId);
    }
    const iat = Math.max(Date.now(), Number(existing?.credential_iat ?? 0) + 1);
    // The WHERE makes the replace rule hold even when two enrollments of one id race.
    const put = await db.query(
      `INSERT INTO ${T}.devices AS d (id, store_id, role, credential_iat) VALUES ($1, $2, $3, $5)
       ON CONFLICT (store_id, id) DO UPDATE SET role = excluded.role, revoked_at = NULL, enrolled_at = now(), credential_iat = excluded.credential_iat
       WHERE d.revoked_at IS NOT NULL OR $4::boolean RETURNING id`,
      [input.deviceId, storeId, role, Boolean(input.replace), iat],
    );
    if (!put.rows[0]) throw this.conflict(storeId, input.deviceId);
    this.deviceChecks.delete(deviceKey({ st: storeId, d: input.deviceId }));
    const claims: DeviceClaims = { d: input.deviceId, st: storeId, r: role, iat };
    const { read, write } = scopesFor(claims);
    return {
      token: issueToken(claims, this.keys!.privateKeyPem),
      deviceId: input.deviceId,
      storeId,
      role,
      read,
      write,
      publicKey: this.publicKey,
    };
  }

  private conflict(storeId: string, deviceId: string): AuthError {
    return new AuthError(
      'CONFLICT',
      `device ${deviceId} is already enrolled in store ${storeId}. Give this till its own terminal id, or, if it replaces that till, ` +
        'a technician confirms with replace: true (ENROLL_REPLACE=1); the old credential then stops working',
    );
  }

  async verify(token: string | undefined): Promise<DeviceClaims> {
    const claims = verifyToken(token, this.publicKey);
    const row = await this.deviceRow(claims);
    if (!row) throw new AuthError('UNAUTHENTICATED', 'device is not enrolled with this cloud');
    if (row.revoked_at) throw new AuthError('REVOKED', `device ${claims.d} was revoked; pair it again with a new code`);
    // A token issued before the latest enrollment (e.g. after revoke + re-pair) no longer counts.
    if (row.credential_iat !== null && claims.iat < Number(row.credential_iat))
      throw new AuthError('REVOKED', 'device credential was replaced by a newer enrollment');
    if (row.credential_iat === null && claims.iat + 1000 < new Date(row.enrolled_at).getTime())
      throw new AuthError('REVOKED', 'device credential was replaced by a newer enrollment');
    return claims;
  }

  /** The device's row, read at most every DEVICE_CHECK_MS while it stays enrolled and unrevoked. */
  private async deviceRow(claims: DeviceClaims): Promise<DeviceRow | null> {
    const key = deviceKey(claims);
    const now = this.now();
    const kept = this.deviceChecks.get(key);
    if (kept && now - kept.at < DEVICE_CHECK_MS && now >= kept.at) return kept.row;
    // The read pool: a pull's credential check never waits behind pushes for a connection.
    const r = await this.storage.readDb.query<DeviceRow>(
      `SELECT revoked_at, enrolled_at, credential_iat FROM ${this.storage.table}.devices WHERE store_id = $1 AND id = $2`,
      [claims.st, claims.d],
    );
    const row = r.rows[0] ?? null;
    if (row && !row.revoked_at) {
      if (this.deviceChecks.size >= DEVICE_CHECKS_MAX) this.deviceChecks.clear();
      this.deviceChecks.set(key, { at: now, row });
    } else this.deviceChecks.delete(key);
    return row;
  }

  async seen(claims: DeviceClaims): Promise<void> {
    const now = Date.now();
    const key = deviceKey(claims);
    if ((this.lastSeenWrite.get(key) ?? 0) > now - 2000) return;
    this.lastSeenWrite.set(key, now);
    // One short row update, no sync lock: on the read pool so pulls never queue behind pushes.
    await this.storage.readDb.query(
      `UPDATE ${this.storage.table}.devices SET last_seen_at = now() WHERE store_id = $1 AND id = $2`,
      [claims.st, claims.d],
    );
  }

  /** Keeps the device's latest status report (the fleet view reads it); one row update. */
  async report(claims: DeviceClaims, report: DeviceReport): Promise<void> {
    await this.storage.readDb.query(
      `UPDATE ${this.storage.table}.devices SET report = $3::jsonb, reported_at = now() WHERE store_id = $1 AND id = $2`,
      [claims.st, claims.d, JSON.stringify(report)],
    );
  }

  /** Revokes one device. Without a store, the id must be unambiguous (one store has it). */
  async revoke(deviceId: string, storeId?: string): Promise<{ storeId: string } | null> {
    const T = this.storage.table;
    const stores = (
      await this.storage.db.query<{ store_id: string }>(
        `SELECT store_id FROM ${T}.devices WHERE id = $1 AND ($2::text IS NULL OR store_id = $2) ORDER BY store_id`,
        [deviceId, storeId ?? null],
      )
    ).rows.map((r) => r.store_id);
    if (stores.length === 0) return null;
    if (stores.length > 1)
      throw new AuthError(
        'CONFLICT',
        `device id ${deviceId} is enrolled in stores ${stores.join(', ')}; name the storeId to revoke`,
      );
    await this.storage.db.query(`UPDATE ${T}.devices SET revoked_at = now() WHERE store_id = $1 AND id = $2`, [
      stores[0],
      deviceId,
    ]);
    this.deviceChecks.delete(deviceKey({ st: stores[0]!, d: deviceId }));
    return { storeId: stores[0]! };
  }

  /** When any device of the store last synced with the cloud (staleness of its stock). */
  async storeLastSeen(storeId: string): Promise<Date | null> {
    const r = await this.storage.db.query<{ m: Date | null }>(
      `SELECT max(last_seen_at) AS m FROM ${this.storage.table}.devices WHERE store_id = $1 AND revoked_at IS NULL`,
      [storeId],
    );
    return r.rows[0]?.m ? new Date(r.rows[0].m) : null;
  }
}
