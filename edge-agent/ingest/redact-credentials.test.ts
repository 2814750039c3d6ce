// The one credential filter, against the text ffmpeg and RTSP cameras actually produce: the
// property is that no configured password survives, in any of the shapes below, while the
// rest of the line (host, path, error) stays readable for the technician.
import { describe, expect, it } from 'vitest';
import { redactCredentials, redactDeep, rememberCredential } from './redact-credentials';

const PASSWORD = 'Tr0ub4dor&3';
const ENCODED = encodeURIComponent(PASSWORD); // Tr0ub4dor%263

// Lines as ffmpeg 5-7 prints them for a camera URL with credentials (copied shapes, our password).
const FFMPEG_LINES = [
  `rtsp://admin:${PASSWORD}@10.0.0.5:554/Streaming/Channels/102: Connection refused`,
  `rtsp://admin:${ENCODED}@10.0.0.5/stream1: Server returned 401 Unauthorized (authorization failed)`,
  `Input #0, rtsp, from 'rtsps://viewer:${PASSWORD}@cam.local:322/live':`,
  `[tcp @ 0x5645b383d800] Connection to tcp://admin:${PASSWORD}@10.0.0.5:554?timeout=5000000 failed: Connection refused`,
  `rtsp://10.0.0.5:554/cam/realmonitor?channel=1&subtype=0&user=admin&password=${PASSWORD}: Invalid data found when processing input`,
  `rtsp://10.0.0.5/live?user=admin&pwd=${ENCODED}&stream=1: Connection timed out`,
  `rtsp://10.0.0.5:554/user=admin_password=${PASSWORD}_channel=1_stream=0.sdp: Operation not permitted`,
  `rtsp://10.0.0.5/h264?token=${PASSWORD}: 404 Not Found`,
  `[rtsp @ 0x1] Sending:\nDESCRIBE rtsp://10.0.0.5/s RTSP/1.0\r\nAuthorization: Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}\r\n`,
  `[rtsp @ 0x1] Authorization: Digest username="admin", realm="IP Camera", nonce="abc", uri="rtsp://10.0.0.5/", response="9f2c0e1d"`,
  `Error opening input: http://proxy.local/relay?src=rtsp%3A%2F%2Fadmin%3A${encodeURIComponent(ENCODED)}%4010.0.0.5%2Fstream`,
  `connecting to admin:${PASSWORD}@10.0.0.5:554 failed`,
  `rtsp://admin:p@ss/w:rd@10.0.0.5/stream: Connection refused`,
  `{"input":"rtsp://10.0.0.5/s","password":"${PASSWORD}"}`,
];

describe('redactCredentials', () => {
  it.each(FFMPEG_LINES)('masks the password in %s', (line) => {
    const out = redactCredentials(line);
    expect(out).not.toContain(PASSWORD);
    expect(out).not.toContain(ENCODED);
    expect(out).not.toContain(encodeURIComponent(ENCODED));
    expect(out).not.toContain('p@ss/w:rd');
    expect(out).not.toContain(Buffer.from(`admin:${PASSWORD}`).toString('base64'));
    expect(out).not.toContain('9f2c0e1d');
    expect(out).toContain('***');
  });

  it('keeps user, host, path and the error readable', () => {
    expect(redactCredentials('rtsp://admin:secret@10.0.0.5/stream: Connection refused')).toBe(
      'rtsp://admin:***@10.0.0.5/stream: Connection refused',
    );
    expect(redactCredentials('rtsp://10.0.0.5/live?user=admin&password=secret&stream=1')).toBe(
      'rtsp://10.0.0.5/live?user=admin&password=***&stream=1',
    );
  });

  it('leaves text without credentials alone and is idempotent', () => {
    for (const t of [
      'rtsp://10.0.0.5:554/stream1: Connection refused',
      '[tcp @ 0x5645] Connection to tcp://127.0.0.1:1?timeout=5000000 failed',
      'Stream #0:0: Video: h264, yuv420p, 1280x720',
      '[rtsp @ 0x55d0c1e4a2c0] method DESCRIBE failed: 401 Unauthorized',
      'this route needs the agent admin token (Authorization: Bearer …)',
      '/dev/video0: No such file or directory',
      '2026-11-28T02:15:00.000Z',
    ]) {
      expect(redactCredentials(t)).toBe(t);
    }
    const once = redactCredentials(FFMPEG_LINES.join('\n'));
    expect(redactCredentials(once)).toBe(once);
  });

  it('masks a remembered camera password in any shape', () => {
    rememberCredential('s3cret%2Fcam!9');
    expect(redactCredentials('auth failed for s3cret/cam!9 and s3cret%2Fcam!9')).toBe('auth failed for *** and ***');
  });
});

describe('redactDeep', () => {
  it('filters every string of a JSON answer and masks secret-named fields', () => {
    const health = {
      cameras: [
        {
          id: 'door1',
          lastError: {
            code: 'SOURCE_FAILED',
            message: `video source stopped with an error: rtsp://admin:${PASSWORD}@10.0.0.5/s: Connection refused`,
          },
        },
      ],
      detail: { password: 'x1', frames: 12 },
    };
    const out = redactDeep(health);
    expect(JSON.stringify(out)).not.toContain(PASSWORD);
    expect(out.detail).toEqual({ password: '***', frames: 12 });
    expect(out.cameras[0]!.lastError.message).toBe(
      'video source stopped with an error: rtsp://admin:***@10.0.0.5/s: Connection refused',
    );
  });
});
