// Errors a technician can meet on the edge agent: stable code, English + zh-CN message.
export type AgentErrorCode =
  | 'FFMPEG_MISSING' | 'INPUT_NOT_FOUND' | 'INPUT_NOT_VIDEO' | 'INPUT_TRUNCATED' | 'SOURCE_FAILED'
  | 'CONFIG_INVALID' | 'BAD_REQUEST' | 'NOT_FOUND' | 'UNAUTHENTICATED' | 'FORBIDDEN';

export class AgentError extends Error {
  constructor(readonly code: AgentErrorCode, message: string, readonly messageZh: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AgentError';
  }

  toJSON(): { code: AgentErrorCode; message: string; messageZh: string } {
    return { code: this.code, message: this.message, messageZh: this.messageZh };
  }
}
