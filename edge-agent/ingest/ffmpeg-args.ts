// Builds the ffmpeg command line for a camera source: RTSP (pull, or listen for a pushed
// stream), V4L2 USB cameras and video files, decoded to raw RGB at the sampling rate.
export type SourceKind = 'rtsp' | 'v4l2' | 'file';

export interface SourceSpec {
  input: string;
  /** Frames per second to sample (5–10 is plenty for walking people). */
  fps: number;
  /** Scale to this width (height keeps the aspect). Default: native size. */
  width?: number;
  /** RTSP: listen for a pushed stream instead of pulling from a camera. */
  rtspListen?: boolean;
  /** Files: read at native speed, like a live camera (demos, soak tests). */
  realtimeFile?: boolean;
}

/** The kind of an input already allowed by checkCameraInput (which refuses everything else). */
export function sourceKind(input: string): SourceKind {
  if (/^rtsps?:\/\//i.test(input)) return 'rtsp';
  if (input.startsWith('/dev/')) return 'v4l2';
  return 'file';
}

// Protocols ffmpeg may open for each kind, as a second fence behind checkCameraInput: an RTSP
// session needs tcp/udp/rtp (tls, srtp for rtsps); a file needs only `file`, so a playlist or
// concat list inside the media folder cannot make ffmpeg fetch a URL.
const PROTOCOLS: Record<SourceKind, string> = { rtsp: 'tcp,udp,rtp,tls,srtp', v4l2: 'file', file: 'file' };

export function ffmpegArgs(spec: SourceSpec): string[] {
  const kind = sourceKind(spec.input);
  // one decoder thread: 640×360 at 5–10 fps needs a few ms per frame, and frame threads cost
  // memory and fight the detector for the two cores
  const args = [
    '-hide_banner',
    '-nostats',
    '-loglevel',
    'info',
    '-nostdin',
    '-threads',
    '1',
    '-protocol_whitelist',
    PROTOCOLS[kind],
  ];
  if (kind === 'rtsp') {
    args.push('-rtsp_transport', 'tcp');
    // listening: give up after a few quiet seconds so the reconnect loop stays in charge
    if (spec.rtspListen) args.push('-rtsp_flags', 'listen', '-listen_timeout', '5');
    else args.push('-timeout', '5000000'); // socket I/O timeout (µs): a dead camera ends the process
    args.push('-i', spec.input);
  } else if (kind === 'v4l2') {
    args.push('-f', 'v4l2', '-i', spec.input);
  } else {
    if (spec.realtimeFile) args.push('-re');
    args.push('-i', spec.input);
  }
  const filters = [`fps=${spec.fps}`];
  if (spec.width) filters.push(`scale=${spec.width}:-2`);
  args.push('-an', '-sn', '-vf', filters.join(','), '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1');
  return args;
}

/** The output frame size from ffmpeg's info log ("Stream #0:0: Video: rawvideo ... 640x360"). */
export function parseOutputSize(stderr: string): { width: number; height: number } | null {
  const out = stderr.indexOf('Output #0');
  if (out < 0) return null;
  const m = /Video: rawvideo[^\n]*?, (\d{2,5})x(\d{2,5})/.exec(stderr.slice(out));
  return m ? { width: Number(m[1]), height: Number(m[2]) } : null;
}
