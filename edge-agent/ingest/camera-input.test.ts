// The camera input allow-list: rtsp:// and rtsps:// cameras, V4L2 devices, files in the media
// folder; nothing else reaches ffmpeg (which would happily fetch http:// or read /etc/*).
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AgentError } from './agent-error';
import { checkCameraInput } from './camera-input';

const media = mkdtempSync(join(tmpdir(), 'media-'));
const service = { files: { under: media } };
const refusedCode = (f: () => unknown) => {
  try {
    f();
    return null;
  } catch (e) {
    return e instanceof AgentError ? e.code : String(e);
  }
};

describe('checkCameraInput', () => {
  it('accepts RTSP cameras, V4L2 devices and files in the media folder', () => {
    expect(checkCameraInput('rtsp://viewer:secret@192.168.1.64:554/Streaming/Channels/102', service)).toMatchObject({
      kind: 'rtsp',
    });
    expect(checkCameraInput('RTSPS://cam.local:322/live', service)).toMatchObject({ kind: 'rtsp' });
    expect(checkCameraInput('/dev/video0', service)).toEqual({ kind: 'v4l2', ffmpegInput: '/dev/video0' });
    expect(checkCameraInput('/dev/v4l/by-id/usb-046d_C920-video-index0', service)).toMatchObject({ kind: 'v4l2' });
    expect(checkCameraInput(join(media, 'door.mp4'), service)).toEqual({
      kind: 'file',
      ffmpegInput: join(media, 'door.mp4'),
    });
    expect(checkCameraInput('door.mp4', service)).toEqual({ kind: 'file', ffmpegInput: join(media, 'door.mp4') });
  });

  it.each([
    'http://127.0.0.1:8080/page',
    'https://example.com/cam.m3u8',
    'ftp://nas/door.mp4',
    'file:/etc/passwd',
    'concat:/a.mp4|/b.mp4',
    'subfile,,start,0,end,0,,:/etc/shadow',
    'tcp://10.0.0.5:554',
    'udp://0.0.0.0:1234',
    'data:video/mp4;base64,AAAA',
    'pipe:0',
    'gopher://x',
    '/etc/passwd',
    '../../etc/passwd',
    `${media}/../secret.mp4`,
    '/dev/sda',
    '/dev/video0/../sda',
    '/dev/v4l/by-id/../../sda',
    'rtsp://',
    'rtsp://cam/x\nHost: evil',
  ])('refuses %s', (input) => {
    expect(refusedCode(() => checkCameraInput(input, service))).toBe('INPUT_NOT_ALLOWED');
  });

  it('the technician CLI reads local files anywhere but follows the same URL rules', () => {
    const cli = { files: 'anywhere' } as const;
    expect(checkCameraInput('/home/tech/audit.mp4', cli)).toMatchObject({ kind: 'file' });
    expect(checkCameraInput('audit.mp4', cli)).toMatchObject({
      kind: 'file',
      ffmpegInput: join(process.cwd(), 'audit.mp4'),
    });
    expect(refusedCode(() => checkCameraInput('http://127.0.0.1/x', cli))).toBe('INPUT_NOT_ALLOWED');
  });

  it('at launch a symlink out of the media folder is refused and a missing file is INPUT_NOT_FOUND', () => {
    const outside = mkdtempSync(join(tmpdir(), 'outside-'));
    writeFileSync(join(outside, 'private.mp4'), 'x');
    mkdirSync(join(media, 'sub'), { recursive: true });
    symlinkSync(join(outside, 'private.mp4'), join(media, 'sub', 'link.mp4'));
    expect(checkCameraInput('sub/link.mp4', service)).toMatchObject({ kind: 'file' }); // as written: inside
    expect(refusedCode(() => checkCameraInput('sub/link.mp4', service, { follow: true }))).toBe('INPUT_NOT_ALLOWED');
    expect(refusedCode(() => checkCameraInput('gone.mp4', service, { follow: true }))).toBe('INPUT_NOT_FOUND');
  });

  it('a refusal never repeats the password', () => {
    try {
      checkCameraInput('http://admin:hunter2hunter2@10.0.0.5/x', service);
      expect.unreachable();
    } catch (e) {
      expect((e as AgentError).message).not.toContain('hunter2');
      expect(JSON.stringify(e)).not.toContain('hunter2');
    }
  });
});
