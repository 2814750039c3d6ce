// Masking of personal data for screens, receipts and logs: a cashier and the customer display
// see enough to confirm who it is (王**, 138****5678), never the whole name or number.

/** Digits only, with a leading +86 / 86 country code dropped for mainland mobiles. */
export function normalizePhone(phone: string): string {
  const digits = phone.replace(/[^\d]/g, '');
  if (digits.length === 13 && digits.startsWith('86')) return digits.slice(2);
  return digits;
}

/** 13812345678 → 138****5678; short numbers keep only their last two digits. */
export function maskPhone(phone: string): string {
  const d = normalizePhone(phone);
  if (d.length >= 11) return `${d.slice(0, 3)}****${d.slice(-4)}`;
  if (d.length <= 2) return '*'.repeat(d.length);
  return '*'.repeat(d.length - 2) + d.slice(-2);
}
