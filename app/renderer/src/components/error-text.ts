// Turns whatever was thrown into what the cashier reads, in the language the till shows now:
// the host sends a code + details (its `message` is English, for API users), and the words come
// from the error table of the contract (app/contract/error-text.ts, English and zh-CN), or from
// this UI's own strings for what only the UI knows (offline, a field left empty).
import { errorText } from '../../../contract';
import { ApiError, type ClientErrorCode } from '../api';
import type { Translate } from '../i18n';

export interface ShownError {
  code: string;
  message: string;
}

/**
 * A schema refusal names fields in code (`managerPin: String must contain at least 4…`): say
 * them as the screen labels them ("请检查：店长 PIN"), or the plain "check your input" when a
 * field has no label here (issue 13 item 20). Null when this is not a schema refusal.
 */
function schemaFields(t: Translate, details: unknown): string | null {
  const d = details as { reason?: unknown; issues?: unknown } | null | undefined;
  if (d?.reason !== 'schema') return null;
  const issues = Array.isArray(d.issues) ? (d.issues as { path?: unknown }[]) : [];
  const labels = issues.map((i) => {
    const name = String(i.path ?? '')
      .split('.')
      .filter((x) => x !== '' && !/^\d+$/.test(x))
      .at(-1);
    const key = `field.${name ?? ''}`;
    const label = t(key as Parameters<Translate>[0]);
    return label === key ? null : label;
  });
  if (labels.length === 0 || labels.includes(null)) return errorText('BAD_INPUT', undefined, t.lang);
  return t('err.field', { field: [...new Set(labels)].join(t.lang === 'zh-CN' ? '、' : ', ') });
}

/** An error the UI made itself, already in the current language. */
class LocalError extends ApiError {}

export function toShownError(err: unknown, t: Translate): ShownError {
  if (err instanceof LocalError) return { code: err.code, message: err.message };
  if (err instanceof ApiError) {
    if (err.code === 'OFFLINE') return { code: 'OFFLINE', message: t('err.OFFLINE') };
    const fields = err.code === 'BAD_INPUT' ? schemaFields(t, err.details) : null;
    if (fields) return { code: err.code, message: fields };
    return { code: err.code, message: errorText(err.code, err.details, t.lang) };
  }
  return { code: 'INTERNAL', message: errorText('INTERNAL', undefined, t.lang) };
}

/** An error only the UI knows about (nothing selected, nothing to return), in words it already translated. */
export function localError(code: ClientErrorCode, message: string): ApiError {
  return new LocalError(code, message);
}

/** A value the cashier typed is not usable: names the field, code BAD_INPUT. */
export function fieldError(t: Translate, label: string): ApiError {
  return localError('BAD_INPUT', t('err.field', { field: label }));
}

/** A device's state in the current language: the status code translated, else the host's words. */
export function deviceStatusText(t: Translate, d: { id: string; status: string; message?: string | null }): string {
  const key = `device.status.${d.status}`;
  const s = t(key as Parameters<Translate>[0], { id: d.id });
  return s !== key ? s : (d.message ?? `${d.id}: ${d.status}`);
}

/** The sync problem in the current language (the host's English words when the reason is unknown). */
export function syncProblemText(
  t: Translate,
  s: { reason?: string | null; message: string | null; pendingOps: number; heldOps?: number },
): string | null {
  if (!s.reason) return s.message;
  const key = `sync.reason.${s.reason}`;
  const text = t(key as Parameters<Translate>[0], { n: s.pendingOps, held: s.heldOps ?? 0 });
  return text !== key ? text : s.message;
}
