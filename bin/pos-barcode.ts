// What `pos test-scan` says about a scanned code: the core's barcode parser decides kind,
// GTIN and whether the check digit is valid.
import { parseBarcode } from '../app/core/barcode';

export interface ScanCheck {
  kind: string;
  gtin: string | null;
  checkDigitValid: boolean | null;
  reason: string | null;
  message: string | null;
}

export function checkScannedCode(data: string, aim: string | null): ScanCheck {
  const p = parseBarcode(`${aim ?? ''}${data}`);
  if (p.ok)
    return {
      kind: p.kind,
      gtin: 'gtin' in p ? (p.gtin ?? null) : null,
      checkDigitValid: 'gtin' in p && p.gtin ? true : null,
      reason: null,
      message: null,
    };
  const cd = p.reason === 'check-digit' || p.reason === 'price-check-digit';
  // A numeric code of GTIN length that fails only on its check digit is the case technicians ask about.
  return { kind: 'invalid', gtin: null, checkDigitValid: cd ? false : null, reason: p.reason, message: p.message };
}
