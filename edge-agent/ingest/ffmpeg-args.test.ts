import { describe, expect, it } from 'vitest';
import { ffmpegArgs, parseOutputSize, sourceKind } from './ffmpeg-args';

describe('ffmpeg command line', () => {
  it('knows the source kinds', () => {
    expect(sourceKind('rtsp://10.0.0.5:554/stream1')).toBe('rtsp');
    expect(sourceKind('/dev/video0')).toBe('v4l2');
    expect(sourceKind('door.mp4')).toBe('file');
  });

  it('decodes to raw RGB at the sampling rate, optionally scaled', () => {
    const a = ffmpegArgs({ input: 'rtsp://cam/1', fps: 6, width: 640 });
    expect(a.join(' ')).toContain('-rtsp_transport tcp -timeout 5000000 -i rtsp://cam/1');
    expect(a.join(' ')).toContain('-vf fps=6,scale=640:-2 -f rawvideo -pix_fmt rgb24 pipe:1');
    expect(ffmpegArgs({ input: 'rtsp://127.0.0.1:9/door', fps: 5, rtspListen: true }).join(' ')).toContain(
      '-rtsp_flags listen -listen_timeout 5 -i',
    );
    expect(ffmpegArgs({ input: '/dev/video2', fps: 5 }).join(' ')).toContain('-f v4l2 -i /dev/video2');
  });

  it('reads the output frame size from the log', () => {
    const log = `Input #0, mov from 'a.mp4':\n  Stream #0:0: Video: h264, yuv420p, 1280x720\nOutput #0, rawvideo, to 'pipe:1':\n  Stream #0:0: Video: rawvideo (RGB[24] / 0x18424752), rgb24(pc, progressive), 640x360, q=2-31, 33177 kb/s, 6 fps\n`;
    expect(parseOutputSize(log)).toEqual({ width: 640, height: 360 });
    expect(parseOutputSize('Input #0 ... 1280x720')).toBeNull();
  });

  it('lets ffmpeg open only the protocols the source kind needs', () => {
    const arg = (input: string) => {
      const a = ffmpegArgs({ input, fps: 5 });
      return a[a.indexOf('-protocol_whitelist') + 1];
    };
    expect(arg('rtsp://cam/1')).toBe('tcp,udp,rtp,tls,srtp');
    expect(arg('/srv/media/door.mp4')).toBe('file');
    expect(arg('/dev/video0')).toBe('file');
  });
});
