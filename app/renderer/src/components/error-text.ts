// Turns whatever was thrown into what the cashier reads: the core's message, and its code.
import { ApiError } from '../api';
import type { Translate } from '../i18n';

export interface ShownError { code: string; message: string }

export function toShownError(err: unknown, t: Translate): ShownError {
  if (err instanceof ApiError) {
    if (err.code === 'OFFLINE') return { code: 'OFFLINE', message: t('err.OFFLINE') };
    return { code: err.code, message: err.message };
  }
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) };
}

/** A value the cashier typed is not usable: names the field, code BAD_INPUT. */
export function fieldError(t: Translate, label: string): ApiError {
  return new ApiError('BAD_INPUT', t('err.field', { field: label }));
}
