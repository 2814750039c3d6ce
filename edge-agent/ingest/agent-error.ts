// Errors a technician can meet on the edge agent: a stable code and an English message.
// Messages are redacted when the error is made: they quote camera inputs and ffmpeg's text,
// and end up in /health, HTTP answers and logs.
import { redactCredentials } from './redact-credentials';

export type AgentErrorCode =
  | 'FFMPEG_MISSING'
  | 'INPUT_NOT_FOUND'
  | 'INPUT_NOT_VIDEO'
  | 'INPUT_TRUNCATED'
  | 'INPUT_NOT_ALLOWED'
  | 'SOURCE_FAILED'
  | 'CONFIG_INVALID'
  | 'BAD_REQUEST'
  | 'NOT_FOUND'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'INTERNAL';

/** The HTTP status the agent answers with for each code (bad input is 400, our own faults 500). */
export function agentHttpStatus(code: AgentErrorCode): number {
  switch (code) {
    case 'NOT_FOUND':
      return 404;
    case 'UNAUTHENTICATED':
      return 401;
    case 'FORBIDDEN':
      return 403;
    case 'INTERNAL':
    case 'FFMPEG_MISSING':
      return 500;
    default:
      return 400;
  }
}

/**
 * Words for each code in English and zh-CN: the CLI (edge-agent/cli.ts) says the code in the
 * technician's language, followed by the English specifics of `message` (the input, ffmpeg's
 * words), which are not translated. HTTP answers keep the English `message` for API users.
 */
export const AGENT_ERROR_TEXT: Record<AgentErrorCode, { en: string; zh: string }> = {
  FFMPEG_MISSING: {
    en: 'ffmpeg is missing. Install it: sudo apt-get install ffmpeg',
    zh: '找不到 ffmpeg，请安装：sudo apt-get install ffmpeg',
  },
  INPUT_NOT_FOUND: { en: 'Video source not found.', zh: '找不到视频源。' },
  INPUT_NOT_VIDEO: { en: 'The input is not a readable video.', zh: '不是可读取的视频。' },
  INPUT_TRUNCATED: {
    en: 'The video is truncated or corrupt; the readable part was counted.',
    zh: '视频文件不完整或已损坏，仅统计了可读部分。',
  },
  INPUT_NOT_ALLOWED: {
    en: 'This video source is not allowed: use rtsp:// or rtsps://, /dev/videoN, or a file in the media folder.',
    zh: '不允许的视频源：只允许 rtsp:// 或 rtsps:// 地址、/dev/videoN 设备或媒体目录中的视频文件。',
  },
  SOURCE_FAILED: { en: 'The video source stopped with an error.', zh: '视频源异常中断。' },
  CONFIG_INVALID: { en: 'The configuration is not valid.', zh: '配置无效。' },
  BAD_REQUEST: { en: 'The request is not valid.', zh: '请求无效。' },
  NOT_FOUND: { en: 'No such route.', zh: '没有这个接口。' },
  UNAUTHENTICATED: { en: 'This route needs the agent admin token.', zh: '需要维护令牌。' },
  FORBIDDEN: { en: 'Not available on this agent.', zh: '此设备不支持该操作。' },
  INTERNAL: { en: 'Internal error.', zh: '内部错误。' },
};

/** The code's words in `lang`, then the English specifics (already redacted). */
export function agentErrorText(e: { code: string; message: string }, lang: 'en' | 'zh-CN'): string {
  const t = (AGENT_ERROR_TEXT as Record<string, { en: string; zh: string } | undefined>)[e.code];
  if (!t || lang === 'en') return e.message;
  return `${t.zh}（${e.message}）`;
}

export class AgentError extends Error {
  /** `message`: English, specific (what input, what ffmpeg said), redacted; `details`: structured facts for programs. */
  constructor(
    readonly code: AgentErrorCode,
    message: string,
    readonly details?: Record<string, string | number>,
    options?: { cause?: unknown },
  ) {
    super(redactCredentials(message), options);
    this.name = 'AgentError';
  }

  toJSON(): { code: AgentErrorCode; message: string; details?: Record<string, string | number> } {
    return this.details
      ? { code: this.code, message: this.message, details: this.details }
      : { code: this.code, message: this.message };
  }
}
