import { describe, expect, it } from 'vitest';
import { FACE_ANTISPOOF_MIN, FACE_LIVENESS_MIN, judgeFrame, type FaceAnalysis } from './face-policy';
import { maskName, consentGranted } from './member-directory';
import { decodeFaceImage } from './face-service';

const box = { x: 0, y: 0, width: 100, height: 100 };
const one = (antispoof: number, liveness: number): FaceAnalysis => ({
  faces: [{ box, score: 0.9 }],
  face: { antispoof, liveness, embedding: new Float32Array(4) },
  model: 'faceres',
});

describe('frame rules', () => {
  it('asks for exactly one real, live face', () => {
    expect(judgeFrame({ faces: [], model: 'faceres' })).toEqual({ ok: false, reason: 'no-face' });
    expect(
      judgeFrame({
        faces: [
          { box, score: 0.9 },
          { box, score: 0.8 },
        ],
        model: 'faceres',
      }),
    ).toEqual({ ok: false, reason: 'several-faces' });
    expect(judgeFrame(one(FACE_ANTISPOOF_MIN - 0.01, 0.9))).toEqual({ ok: false, reason: 'spoof' });
    expect(judgeFrame(one(0.9, FACE_LIVENESS_MIN - 0.01))).toEqual({ ok: false, reason: 'not-live' });
    expect(judgeFrame(one(0.9, 0.9)).ok).toBe(true);
  });

  it('masks names to their first character and reads consent flags', () => {
    expect(maskName('王小明')).toBe('王**');
    expect(maskName('Li')).toBe('L*');
    expect(maskName('王')).toBe('王*');
    expect(maskName('')).toBe('*');
    expect(consentGranted(true)).toBe(true);
    expect(consentGranted({ granted: true, at: 'x' })).toBe(true);
    expect(consentGranted({ granted: false })).toBe(false);
    expect(consentGranted('yes')).toBe(false);
    expect(consentGranted(null)).toBe(false);
  });

  it('accepts JPEG/PNG bytes (also as a data: URL) and refuses anything else with FACE_UNUSABLE', () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), Buffer.alloc(20)]).toString('base64');
    expect(decodeFaceImage(png)).toHaveLength(24);
    expect(decodeFaceImage(`data:image/png;base64,${png}`)).toHaveLength(24);
    expect(() => decodeFaceImage(Buffer.from('GIF89a-not-a-photo-at-all').toString('base64'))).toThrow(
      expect.objectContaining({ code: 'FACE_UNUSABLE', details: { reason: 'image' } }),
    );
  });
});
