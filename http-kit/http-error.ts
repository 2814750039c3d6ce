// An HTTP refusal with a stable code: what every handler of every server throws, and what the
// kit's error handler turns into `{ ok: false, error: { code, message, details? } }`. The status
// comes from the server's own table (statusFor) unless the thrower knows better (a relayed
// upstream status), so one code never answers with two statuses on one server.

export class HttpError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
    public readonly details?: unknown,
    /** Extra response headers, e.g. `retry-after` on a 429. */
    public readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/**
 * One server's error-to-status table: every code it can answer with, and its status. A
 * `Record` over the code union, so a new code without a status fails `tsc`.
 */
export type StatusTable<Code extends string> = Readonly<Record<Code, number>>;

/** A coded error as a table gives it a status (unknown codes: 500, they are our fault). */
export function codedError<Code extends string>(
  table: StatusTable<Code>,
  code: Code,
  message: string,
  details?: unknown,
  headers?: Record<string, string>,
): HttpError {
  return new HttpError(table[code] ?? 500, code, message, details, headers);
}
