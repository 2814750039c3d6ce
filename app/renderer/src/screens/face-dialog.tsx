// Face lookup at the till (刷脸识别, Alt+F): the browser camera (getUserMedia; the same in
// Electron) shows the customer; Enter takes one frame and asks members.identifyFace; up to three
// candidates appear with masked name, level and score, and the cashier confirms one with 1–3
// (never automatic). E switches to enrolment: type the member id, the customer reads the consent
// text and agrees (Y; C also allows the chain's other stores), Enter takes the frame and enrols.
// Strings live here (both languages) so this screen adds nothing to the shared dictionary.
import { useEffect, useRef, useState } from 'react';
import { errorText, type FaceCandidate, type FaceIdentifyResult, type Lang } from '../../../contract';
import { useApp } from '../app-context';
import { Dialog } from '../components/dialog';

/** Version of the consent text below; recorded with the consent. */
export const FACE_CONSENT_TEXT_VERSION = 'face-2026-12';

const TEXT = {
  en: {
    title: 'Face lookup (Alt+F)',
    enrolTitle: 'Face enrolment',
    camera: 'Camera',
    noCamera: 'No camera: {error}',
    capture: 'Enter: take picture',
    looking: 'Looking…',
    none: 'No consenting member matches. Use the member code or phone.',
    pick: '1–3: confirm the member · E: enrol · Esc: close',
    confirmed: 'Member confirmed: {name}',
    memberId: 'Member id',
    consentText:
      'I agree that this store keeps an encrypted template of my face to recognise me at the till. It is never shown, never leaves the store unless I allow it below, and is deleted when I withdraw or ask for erasure.',
    chainWide: 'C: also recognise me in the chain’s other stores',
    agree: 'Y: customer agrees',
    agreed: 'Customer agreed',
    enrolHint: 'Type the member id and Enter; Y when the customer agrees; Enter: take picture and enrol · Esc: back',
    enrolled: 'Face enrolled for member {id}',
    score: 'score',
    level: 'level',
  },
  'zh-CN': {
    title: '刷脸识别（Alt+F）',
    enrolTitle: '人脸登记',
    camera: '摄像头',
    noCamera: '无法打开摄像头：{error}',
    capture: 'Enter：拍照识别',
    looking: '识别中…',
    none: '没有匹配的已授权会员，请改用会员码或手机号。',
    pick: '1–3：确认会员 · E：登记人脸 · Esc：关闭',
    confirmed: '已确认会员：{name}',
    memberId: '会员编号',
    consentText:
      '本人同意本店保存本人人脸特征的加密模板，用于收银台识别会员身份。模板不会显示，除非本人在下方同意，否则不会离开本店；本人撤回同意或要求删除时即删除。',
    chainWide: 'C：同意在本连锁其他门店识别',
    agree: 'Y：顾客同意',
    agreed: '顾客已同意',
    enrolHint: '输入会员编号后按 Enter；顾客同意后按 Y；再按 Enter 拍照登记 · Esc 返回',
    enrolled: '已为会员 {id} 登记人脸',
    score: '相似度',
    level: '等级',
  },
} as const;
type Key = keyof (typeof TEXT)['en'];
const say = (lang: Lang, key: Key, vars: Record<string, string> = {}) =>
  TEXT[lang === 'zh-CN' ? 'zh-CN' : 'en'][key].replace(/\{(\w+)\}/g, (_m, k: string) => vars[k] ?? '');

/** One JPEG frame of the playing video, as a data: URL (at most 640 px wide). */
function grabFrame(video: HTMLVideoElement): string {
  const scale = Math.min(1, 640 / (video.videoWidth || 640));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round((video.videoWidth || 640) * scale);
  canvas.height = Math.round((video.videoHeight || 480) * scale);
  canvas.getContext('2d')?.drawImage(video, 0, 0, canvas.width, canvas.height);
  return canvas.toDataURL('image/jpeg', 0.9);
}

export function FaceDialog({ onClose, onConfirmed }: { onClose: () => void; onConfirmed: (c: FaceCandidate) => void }) {
  const { api, lang, showError, showInfo } = useApp();
  const video = useRef<HTMLVideoElement>(null);
  const idInput = useRef<HTMLInputElement>(null);
  const [cameraError, setCameraError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<FaceIdentifyResult | null>(null);
  const [mode, setMode] = useState<'identify' | 'enrol'>('identify');
  const [memberId, setMemberId] = useState('');
  const [agreed, setAgreed] = useState(false);
  const [chainWide, setChainWide] = useState(false);

  useEffect(() => {
    let stream: MediaStream | null = null;
    let stopped = false;
    navigator.mediaDevices
      ?.getUserMedia({ video: { width: 640, height: 480 }, audio: false })
      .then((s) => {
        if (stopped) return s.getTracks().forEach((t) => t.stop());
        stream = s;
        if (video.current) {
          video.current.srcObject = s;
          void video.current.play().catch(() => undefined);
        }
      })
      .catch((err: unknown) => setCameraError(err instanceof Error ? err.message : String(err)));
    if (!navigator.mediaDevices) setCameraError('getUserMedia');
    return () => {
      stopped = true;
      stream?.getTracks().forEach((t) => t.stop());
    };
  }, []);

  useEffect(() => {
    if (mode === 'enrol') idInput.current?.focus();
  }, [mode]);

  const ready = () => !!video.current && video.current.readyState >= 2 && !busy;

  const identify = async () => {
    if (!ready()) return;
    setBusy(true);
    setResult(null);
    try {
      setResult(await api.call('members.identifyFace', { image: grabFrame(video.current!) }));
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };

  const confirm = async (c: FaceCandidate) => {
    try {
      await api.call('members.confirmFace', { memberId: c.memberId, score: c.score });
      showInfo(say(lang, 'confirmed', { name: c.maskedName }));
      onConfirmed(c);
    } catch (err) {
      showError(err);
    }
  };

  const enrol = async () => {
    if (!ready() || !memberId.trim()) return;
    setBusy(true);
    try {
      await api.call('members.enrollFace', {
        memberId: memberId.trim(),
        image: grabFrame(video.current!),
        consent: { face: agreed, chainWide, channel: 'till', textVersion: FACE_CONSENT_TEXT_VERSION },
      });
      showInfo(say(lang, 'enrolled', { id: memberId.trim() }));
      setMode('identify');
      setAgreed(false);
      setChainWide(false);
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };

  const onKey = (key: string): boolean => {
    const inField = document.activeElement === idInput.current;
    if (mode === 'identify') {
      const pick = result?.candidates[Number(key) - 1];
      if (key === 'Enter') void identify();
      else if (/^[1-3]$/.test(key) && pick) void confirm(pick);
      else if (key === 'e' || key === 'E') {
        setMode('enrol');
        setResult(null);
      } else return false;
      return true;
    }
    if (key === 'Escape') setMode('identify');
    // Enter in the id field moves on to the consent; after the customer agreed it enrols.
    else if (key === 'Enter' && inField) idInput.current?.blur();
    else if (key === 'Enter') void enrol();
    else if ((key === 'y' || key === 'Y') && !inField) setAgreed(true);
    else if ((key === 'c' || key === 'C') && !inField) setChainWide((v) => !v);
    else return false;
    return true;
  };

  return (
    <Dialog
      title={say(lang, mode === 'identify' ? 'title' : 'enrolTitle')}
      testid="face-dialog"
      wide
      onCancel={onClose}
      onKey={(k) => onKey(k)}
    >
      <div className="face-grid" data-mode={mode} data-busy={busy ? 'true' : 'false'}>
        <div className="face-camera">
          <video ref={video} muted playsInline data-testid="face-video" aria-label={say(lang, 'camera')} />
          {cameraError && (
            <p className="error" data-testid="face-camera-error">
              {say(lang, 'noCamera', { error: cameraError })}
            </p>
          )}
        </div>
        <div className="face-side">
          {mode === 'identify' ? (
            <>
              <p>{busy ? say(lang, 'looking') : say(lang, 'capture')}</p>
              {result && result.reason && (
                <p className="error" data-testid="face-refused" data-reason={result.reason}>
                  {errorText('FACE_UNUSABLE', { reason: result.reason }, lang)}
                </p>
              )}
              {result && !result.reason && result.candidates.length === 0 && (
                <p data-testid="face-none">{say(lang, 'none')}</p>
              )}
              <ol className="pick-list" data-testid="face-candidates">
                {result?.candidates.map((c, i) => (
                  <li key={c.memberId}>
                    <button
                      type="button"
                      data-testid="face-candidate"
                      data-member-id={c.memberId}
                      onClick={() => void confirm(c)}
                    >
                      <span>
                        {i + 1}. {c.maskedName}
                      </span>
                      <span>
                        {say(lang, 'level')} {c.level ?? '—'}
                      </span>
                      <span>
                        {say(lang, 'score')} {c.score.toFixed(2)}
                      </span>
                    </button>
                  </li>
                ))}
              </ol>
              <p className="hint">{say(lang, 'pick')}</p>
            </>
          ) : (
            <>
              <label>
                {say(lang, 'memberId')}
                <input
                  ref={idInput}
                  data-testid="face-member-id"
                  value={memberId}
                  onChange={(e) => setMemberId(e.target.value)}
                />
              </label>
              <p className="consent" data-testid="face-consent-text">
                {say(lang, 'consentText')}
              </p>
              <p
                data-testid="face-consent"
                data-agreed={agreed ? 'true' : 'false'}
                data-chain={chainWide ? 'true' : 'false'}
              >
                {agreed ? `✔ ${say(lang, 'agreed')}` : say(lang, 'agree')} · {chainWide ? '✔ ' : ''}
                {say(lang, 'chainWide')}
              </p>
              <p className="hint">{say(lang, 'enrolHint')}</p>
            </>
          )}
        </div>
      </div>
    </Dialog>
  );
}
