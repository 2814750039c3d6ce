// Turns an image file or a raw RGB frame into the exact pixel grid a model wants (stretch or
// letterbox), and remembers the mapping so boxes can be put back into frame pixels. Resizing is
// done by sharp (libvips, off the main thread); the float conversion happens in the worker.
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { z } from 'zod';
import { ModelError } from './model-error';

export interface RgbFrame {
  /** Packed RGB (3 bytes per pixel) or RGBA (4), row-major, no row padding. */
  data: Uint8Array;
  width: number;
  height: number;
  channels?: 3 | 4;
}

/** Maps model-input pixel coordinates back to frame pixels: frame = (model - pad) / scale. */
export interface InputTransform {
  scaleX: number;
  scaleY: number;
  padX: number;
  padY: number;
  frameWidth: number;
  frameHeight: number;
}

export interface PreparedInput {
  pixels: Uint8Array;
  width: number;
  height: number;
  transform: InputTransform;
}

const MAX_SIDE = 16384;

const frameShape = z.object({
  width: z.number().int().positive().max(MAX_SIDE),
  height: z.number().int().positive().max(MAX_SIDE),
  channels: z.union([z.literal(3), z.literal(4)]).optional(),
});

export function validateFrame(frame: RgbFrame): Required<RgbFrame> {
  const bad = (why: string) =>
    new ModelError('FRAME_INVALID', `Camera frame rejected: ${why}`, `摄像头画面无效：${why}`);
  if (!frame || typeof frame !== 'object') throw bad('no frame');
  const shape = frameShape.safeParse({ width: frame.width, height: frame.height, channels: frame.channels });
  if (!shape.success)
    throw bad(`width/height must be whole numbers 1–${MAX_SIDE} (got ${frame.width}x${frame.height})`);
  if (!(frame.data instanceof Uint8Array)) throw bad('data must be a Uint8Array');
  if (frame.data.length === 0) throw bad('empty frame');
  const channels = frame.channels ?? 3;
  const expected = frame.width * frame.height * channels;
  if (frame.data.length !== expected) {
    throw bad(
      `data has ${frame.data.length} bytes, expected ${expected} for ${frame.width}x${frame.height}x${channels}`,
    );
  }
  return { data: frame.data, width: frame.width, height: frame.height, channels };
}

export interface ResizeSpec {
  width: number;
  height: number;
  resize: 'stretch' | 'letterbox';
  /** Letterbox fill, 0–255 grey. */
  padValue?: number;
}

async function fit(
  img: ReturnType<typeof sharp>,
  srcW: number,
  srcH: number,
  spec: ResizeSpec,
): Promise<PreparedInput> {
  const { width: W, height: H } = spec;
  if (spec.resize === 'stretch') {
    const pixels = await img.resize(W, H, { fit: 'fill' }).removeAlpha().raw().toBuffer();
    return {
      pixels,
      width: W,
      height: H,
      transform: { scaleX: W / srcW, scaleY: H / srcH, padX: 0, padY: 0, frameWidth: srcW, frameHeight: srcH },
    };
  }
  const s = Math.min(W / srcW, H / srcH);
  const w = Math.max(1, Math.min(W, Math.round(srcW * s)));
  const h = Math.max(1, Math.min(H, Math.round(srcH * s)));
  const left = Math.floor((W - w) / 2);
  const top = Math.floor((H - h) / 2);
  const v = spec.padValue ?? 0;
  const pixels = await img
    .resize(w, h, { fit: 'fill' })
    .removeAlpha()
    .extend({ left, right: W - w - left, top, bottom: H - h - top, background: { r: v, g: v, b: v } })
    .raw()
    .toBuffer();
  return {
    pixels,
    width: W,
    height: H,
    transform: { scaleX: w / srcW, scaleY: h / srcH, padX: left, padY: top, frameWidth: srcW, frameHeight: srcH },
  };
}

export async function prepareFrame(frame: RgbFrame, spec: ResizeSpec): Promise<PreparedInput> {
  const f = validateFrame(frame);
  const img = sharp(f.data, { raw: { width: f.width, height: f.height, channels: f.channels } });
  return fit(img, f.width, f.height, spec);
}

/** Decodes an image (JPEG/PNG/WebP… bytes) into a packed RGB frame. */
export async function decodeImage(bytes: Uint8Array): Promise<RgbFrame> {
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) {
    throw new ModelError('IMAGE_DECODE_FAILED', 'Image is empty', '图片为空');
  }
  try {
    const { data, info } = await sharp(bytes, { failOn: 'error' })
      .rotate()
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return {
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      width: info.width,
      height: info.height,
      channels: 3,
    };
  } catch (cause) {
    throw new ModelError(
      'IMAGE_DECODE_FAILED',
      `Image could not be decoded: ${(cause as Error).message}`,
      '图片无法解码',
      { cause },
    );
  }
}

/** Reads and decodes an image file; a missing/unreadable file is IMAGE_DECODE_FAILED too. */
export async function decodeImageFile(path: string): Promise<RgbFrame> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (cause) {
    throw new ModelError('IMAGE_DECODE_FAILED', `Image file ${path} cannot be read`, `无法读取图片文件 ${path}`, {
      cause,
    });
  }
  return decodeImage(bytes);
}

/** Crops a region (frame pixels, clamped to the frame) out of an RGB frame. */
export async function cropFrame(
  frame: RgbFrame,
  box: { x: number; y: number; width: number; height: number },
): Promise<RgbFrame> {
  const f = validateFrame(frame);
  const left = Math.max(0, Math.floor(box.x));
  const top = Math.max(0, Math.floor(box.y));
  const right = Math.min(f.width, Math.ceil(box.x + box.width));
  const bottom = Math.min(f.height, Math.ceil(box.y + box.height));
  if (right - left < 1 || bottom - top < 1) {
    throw new ModelError('FRAME_INVALID', 'Crop box lies outside the frame', '裁剪区域超出画面');
  }
  const { data, info } = await sharp(f.data, { raw: { width: f.width, height: f.height, channels: f.channels } })
    .extract({ left, top, width: right - left, height: bottom - top })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    width: info.width,
    height: info.height,
    channels: 3,
  };
}
