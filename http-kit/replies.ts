// JSON answers, the same bytes on every server: UTF-8 JSON, never cached (answers carry carts,
// stock and credentials' verdicts), the length up front.

export const JSON_TYPE = 'application/json; charset=utf-8';

export function jsonReply(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': JSON_TYPE, 'cache-control': 'no-store', ...headers },
  });
}

/** `{ ok: false, error: { code, message, details? } }`, the error shape of every server. */
export function errorReply(
  status: number,
  code: string,
  message: string,
  details?: unknown,
  headers?: Record<string, string>,
): Response {
  return jsonReply(
    status,
    { ok: false, error: { code, message, ...(details === undefined ? {} : { details }) } },
    headers,
  );
}
