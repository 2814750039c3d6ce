// Errors a technician can meet on the edge agent: stable code, English + zh-CN message.
// Messages are redacted when the error is made: they quote camera inputs and ffmpeg's text,
// and end up in /health, HTTP answers and logs.
import { redactCredentials } from './redact-credentials';

export type AgentErrorCode =
  | 'FFMPEG_MISSING' | 'INPUT_NOT_FOUND' | 'INPUT_NOT_VIDEO' | 'INPUT_TRUNCATED' | 'INPUT_NOT_ALLOWED' | 'SOURCE_FAILED'
  | 'CONFIG_INVALID' | 'BAD_REQUEST' | 'NOT_FOUND' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'INTERNAL';

/** The HTTP status the agent answers with for each code (bad input is 400, our own faults 500). */
export function agentHttpStatus(code: AgentErrorCode): number {
  switch (code) {
    case 'NOT_FOUND': return 404;
    case 'UNAUTHENTICATED': return 401;
    case 'FORBIDDEN': return 403;
    case 'INTERNAL': case 'FFMPEG_MISSING': return 500;
    default: return 400;
  }
}

export class AgentError extends Error {
  readonly messageZh: string;

  constructor(readonly code: AgentErrorCode, message: string, messageZh: string, options?: { cause?: unknown }) {
    super(redactCredentials(message), options);
    this.name = 'AgentError';
    this.messageZh = redactCredentials(messageZh);
  }

  toJSON(): { code: AgentErrorCode; message: string; messageZh: string } {
    return { code: this.code, message: this.message, messageZh: this.messageZh };
  }
}
