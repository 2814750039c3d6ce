// GS1 YYMMDD dates → ISO YYYY-MM-DD. DD = 00 means "no day given"; for expiry and best-before
// that is read as the last day of the month (GS1 GenSpecs §3.4). The century follows the GS1
// sliding window (§7.12) relative to `referenceYear`; without one, 20YY is used.

export function gs1DateToIso(yymmdd: string, referenceYear?: number): string | null {
  if (!/^\d{6}$/.test(yymmdd)) return null;
  const yy = Number(yymmdd.slice(0, 2));
  const mm = Number(yymmdd.slice(2, 4));
  const dd = Number(yymmdd.slice(4, 6));
  let year = 2000 + yy;
  if (referenceYear !== undefined) {
    const century = Math.floor(referenceYear / 100) * 100;
    const diff = yy - (referenceYear % 100);
    year = century + yy;
    if (diff >= 51) year -= 100;
    else if (diff <= -50) year += 100;
  }
  if (mm < 1 || mm > 12) return null;
  const last = new Date(Date.UTC(year, mm, 0)).getUTCDate();
  if (dd > last) return null;
  const day = dd === 0 ? last : dd;
  return `${String(year).padStart(4, '0')}-${String(mm).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
