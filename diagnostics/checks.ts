// The shape every doctor (`pos doctor`, `edge-agent doctor`) reports in, and its table.
export type CheckStatus = 'pass' | 'warn' | 'fail';

export interface Check {
  name: string;
  status: CheckStatus;
  detail: string;
  fix: string;
}

export const check = (name: string, status: CheckStatus, detail: string, fix = ''): Check => ({
  name,
  status,
  detail,
  fix,
});

export function doctorFailed(checks: readonly Check[]): boolean {
  return checks.some((c) => c.status === 'fail');
}

export function doctorTable(checks: readonly Check[]): string {
  const mark = { pass: 'PASS', warn: 'WARN', fail: 'FAIL' } as const;
  const w = Math.max(...checks.map((c) => c.name.length));
  return checks
    .map(
      (c) =>
        `${mark[c.status]}  ${c.name.padEnd(w)}  ${c.detail}${c.fix ? `\n      ${' '.repeat(w)}  → ${c.fix}` : ''}`,
    )
    .join('\n');
}
