// Staff records replicated across a store's tills (docs/reports.md, Staff): one `set staff` op
// per changed field, key = staff id, in the store's scope, last writer wins per field. The fields
// are split so that a disable on one till and a PIN change on another, made at the same time,
// both survive. PIN hashes only, never PINs. Pure: the shapes every receiver checks before it
// applies a staff op (authorship is in authorship.ts).
import { z } from 'zod';

export const STAFF_ENTITY = 'staff';

/**
 * scrypt with the cost parameters the till writes (pin-hash.ts: `scrypt$N$8$1$salt$hash`).
 * N is bounded: a hash with a huge N would make every PIN check on every till allocate
 * gigabytes, so a receiver refuses it instead of trying.
 */
const PIN_HASH = /^scrypt\$(\d{4,6})\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/;
const STAFF_SCRYPT_N_MIN = 1024;
const STAFF_SCRYPT_N_MAX = 131_072;

const pinHash = z
  .string()
  .max(120)
  .refine((h) => {
    const m = PIN_HASH.exec(h);
    if (!m) return false;
    const n = Number(m[1]);
    return n >= STAFF_SCRYPT_N_MIN && n <= STAFF_SCRYPT_N_MAX && (n & (n - 1)) === 0;
  }, 'not a till PIN hash');

const iso = z
  .string()
  .max(40)
  .refine((s) => Number.isFinite(Date.parse(s)), 'not a time');

/** The value of each replicated staff field. */
const staffFieldSchemas = {
  /** Written once at staff.add and again with every change (its content never changes). */
  profile: z.object({ name: z.string().min(1).max(40), nameEn: z.string().min(1).max(60), createdAt: iso }).strict(),
  role: z.enum(['cashier', 'manager', 'technician']),
  /** `at`: when the member was disabled or re-enabled. */
  active: z.object({ active: z.boolean(), at: iso }).strict(),
  /** A manager's reset sets `mustChange`; the member's own new PIN clears it. */
  pin: z.object({ hash: pinHash, mustChange: z.boolean() }).strict(),
} as const;

export type StaffField = keyof typeof staffFieldSchemas;
export const STAFF_FIELDS = Object.keys(staffFieldSchemas) as StaffField[];

export type StaffFieldValues = { [F in StaffField]: z.infer<(typeof staffFieldSchemas)[F]> };

export function isStaffField(f: string): f is StaffField {
  return (STAFF_FIELDS as string[]).includes(f);
}

/** The field's value when it has the shape a till writes, else null. */
export function parseStaffField<F extends StaffField>(field: F, value: unknown): StaffFieldValues[F] | null {
  const r = staffFieldSchemas[field].safeParse(value);
  return r.success ? (r.data as StaffFieldValues[F]) : null;
}
