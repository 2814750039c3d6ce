// Errors a technician or the edge agent can meet, each with a stable code. Messages carry
// English and zh-CN because they end up on the store's device-health screen.
export type ModelErrorCode =
  | 'MODEL_UNKNOWN'
  | 'MODEL_MISSING'
  | 'MODEL_TAMPERED'
  | 'MODEL_LOAD_FAILED'
  | 'MANIFEST_INVALID'
  | 'DETECTOR_CONFIG_INVALID'
  | 'IMAGE_DECODE_FAILED'
  | 'FRAME_INVALID'
  | 'INFERENCE_FAILED'
  | 'POOL_CLOSED';

export class ModelError extends Error {
  readonly code: ModelErrorCode;
  readonly messageZh: string;
  constructor(code: ModelErrorCode, message: string, messageZh: string, options?: { cause?: unknown }) {
    super(`${message} / ${messageZh}`, options);
    this.name = 'ModelError';
    this.code = code;
    this.messageZh = messageZh;
  }
}
