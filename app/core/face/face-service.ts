// Face lookup at the till (刷脸识别): identify (frame → at most 3 consenting candidates for the
// cashier to confirm), enrol (after the customer confirmed consent), remove, and erasure. The
// ONNX models come in through FaceEmbedder (composed by app/till); members through
// FaceMemberDirectory. Templates, scores vectors and names are never logged; audit entries carry
// member ids and scores only.
import type pino from 'pino';
import { PosError, type FaceIdentifyResult, type StaffView } from '../../contract';
import { writeAudit } from '../audit';
import type { Db } from '../db';
import { loadFaceKey } from './face-key';
import { FACE_MATCH_THRESHOLD, MAX_FACE_CANDIDATES, judgeFrame, type FaceEmbedder } from './face-policy';
import { FaceTemplates } from './face-templates';
import type { FaceMemberDirectory } from './member-directory';

export interface FaceServiceDeps {
  db: Db;
  dataDir: string;
  terminalId: string;
  clock: () => Date;
  logger: pino.Logger;
  /** The models (null: not available on this till → FACE_UNAVAILABLE). */
  embedder: () => FaceEmbedder | null;
  directory: FaceMemberDirectory;
  /** Template model name stored with each template (default 'faceres'). */
  model?: string;
}

export interface EnrollConsent {
  face: boolean;
  chainWide: boolean;
  channel: 'customer-display' | 'till';
  textVersion: string;
}

/** Candidates looked at before consent filtering, so withdrawn members do not crowd out others. */
const SEARCH_DEPTH = 10;

const PNG = [0x89, 0x50, 0x4e, 0x47];
const JPEG = [0xff, 0xd8, 0xff];
const WEBP = [0x52, 0x49, 0x46, 0x46];

/** base64 or a data: URL → image bytes; refuses anything that is not a JPEG, PNG or WebP. */
export function decodeFaceImage(image: string): Uint8Array {
  const b64 = image.startsWith('data:') ? image.slice(image.indexOf(',') + 1) : image;
  const bytes = new Uint8Array(Buffer.from(b64, 'base64'));
  const starts = (sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (bytes.length < 16 || !(starts(PNG) || starts(JPEG) || starts(WEBP)))
    throw new PosError('FACE_UNUSABLE', { reason: 'image' });
  return bytes;
}

export class FaceService {
  private templates: FaceTemplates | null = null;

  constructor(private readonly deps: FaceServiceDeps) {}

  /** Opened on first use, so a till that never uses face lookup has no key file. */
  private store(): FaceTemplates {
    if (!this.templates) {
      const key = loadFaceKey(this.deps.dataDir);
      this.templates = new FaceTemplates(this.deps.db, key, this.deps.model ?? 'faceres');
      if (this.templates.unreadable.length)
        this.deps.logger.warn({ count: this.templates.unreadable.length }, 'face templates that do not decrypt');
    }
    return this.templates;
  }

  private embedder(): FaceEmbedder {
    const e = this.deps.embedder();
    if (!e) throw new PosError('FACE_UNAVAILABLE', { reason: 'models' });
    return e;
  }

  async identify(image: string): Promise<FaceIdentifyResult> {
    const bytes = decodeFaceImage(image);
    const store = this.store();
    const verdict = judgeFrame(await this.embedder().analyze(bytes));
    if (!verdict.ok) return { candidates: [], reason: verdict.reason };
    const matches = store.index.search(verdict.embedding, { threshold: FACE_MATCH_THRESHOLD, limit: SEARCH_DEPTH });
    const candidates: FaceIdentifyResult['candidates'] = [];
    for (const m of matches) {
      if (candidates.length >= MAX_FACE_CANDIDATES) break;
      const consent = await this.deps.directory.faceConsent(m.memberId);
      const view = consent.face ? await this.deps.directory.candidateView(m.memberId) : null;
      if (!view) {
        // Erased, or consent withdrawn since enrolment: the template must go.
        store.delete(m.memberId);
        continue;
      }
      candidates.push({ memberId: m.memberId, maskedName: view.maskedName, level: view.level, score: round3(m.score) });
    }
    return { candidates };
  }

  async enroll(
    memberId: string,
    image: string,
    consent: EnrollConsent,
    staff: StaffView,
  ): Promise<{ memberId: string; enrolledAt: string }> {
    if (!consent.face) throw new PosError('FACE_CONSENT_REQUIRED', { reason: 'not-confirmed' });
    const bytes = decodeFaceImage(image);
    if (!(await this.deps.directory.memberExists(memberId))) throw new PosError('NOT_FOUND', { reason: 'member' });
    const store = this.store();
    const verdict = judgeFrame(await this.embedder().analyze(bytes));
    if (!verdict.ok) throw new PosError('FACE_UNUSABLE', { reason: verdict.reason });
    const at = this.deps.clock();
    const enrolledAt = at.toISOString();
    await this.deps.directory.recordFaceConsent(memberId, {
      chainWide: consent.chainWide,
      channel: consent.channel,
      textVersion: consent.textVersion,
      at: enrolledAt,
      staffId: staff.id,
    });
    this.deps.db.transaction(() => {
      store.put(memberId, verdict.embedding, { chainWide: consent.chainWide, at: enrolledAt, staffId: staff.id });
      writeAudit(this.deps.db, this.deps.terminalId, at, {
        action: 'member.face.enroll',
        staffId: staff.id,
        detail: { memberId, chainWide: consent.chainWide, channel: consent.channel, textVersion: consent.textVersion },
      });
    })();
    return { memberId, enrolledAt };
  }

  confirm(memberId: string, score: number, staff: StaffView): void {
    writeAudit(this.deps.db, this.deps.terminalId, this.deps.clock(), {
      action: 'member.face.confirm',
      staffId: staff.id,
      detail: { memberId, score: round3(score) },
    });
  }

  remove(memberId: string, staff: StaffView | null, why: 'withdrawn' | 'erased'): boolean {
    const removed = this.store().delete(memberId);
    if (removed)
      writeAudit(this.deps.db, this.deps.terminalId, this.deps.clock(), {
        action: 'member.face.remove',
        staffId: staff?.id,
        detail: { memberId, why },
      });
    return removed;
  }

  /**
   * Member erasure: wipes the template (database row and memory). Called for every erase op,
   * inside the transaction that stores it; the erase op is the record, so nothing is audited.
   */
  eraseMembers(memberIds: Iterable<string>): number {
    let n = 0;
    const del = this.deps.db.prepare('DELETE FROM face_templates WHERE member_id = ?');
    for (const id of memberIds) {
      const row = del.run(id).changes > 0;
      const mem = this.templates?.index.delete(id) ?? false;
      if (row || mem) n++;
    }
    return n;
  }

  /** Drops templates of members who were erased or withdrew consent while the till was off. */
  async purge(): Promise<number> {
    let n = 0;
    for (const id of this.store().memberIds()) {
      const consent = await this.deps.directory.faceConsent(id);
      if (!consent.face && this.remove(id, null, (await this.deps.directory.memberExists(id)) ? 'withdrawn' : 'erased'))
        n++;
    }
    return n;
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
