// What a scanned pairing QR holds: `POS-PAIR:<code>` or `POS-PAIR:<code>@<hub URL>` (the cloud
// admin can print either); anything else scanned on the pairing step is taken as the code. Pure.
export function parsePairingScan(data: string): { code: string; hubUrl?: string } {
  const m = /^POS-PAIR:([^@\s]+)(?:@(https?:\/\/\S+))?$/.exec(data.trim());
  if (!m) return { code: data.trim() };
  return m[2] ? { code: m[1]!, hubUrl: m[2] } : { code: m[1]! };
}
