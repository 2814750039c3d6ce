// The till's face templates: ciphertext in SQLite (face_templates, migration 0013), decrypted
// once at start into the in-memory FaceIndex the 1:N search reads. Nothing here logs a
// template, a score vector or a name.
import type { Db } from '../db';
import { FaceIndex, PROJECTION_DIMS } from './face-index';
import { openTemplate, sealTemplate } from './template-cipher';

export const TEMPLATE_DIMS = 1024;

interface Row {
  member_id: string;
  model: string;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

export class FaceTemplates {
  readonly index = new FaceIndex(TEMPLATE_DIMS);
  /** Rows that failed to decrypt (wrong key file, damaged row); they are never matched. */
  readonly unreadable: string[] = [];

  constructor(
    private readonly db: Db,
    private readonly key: Buffer,
    private readonly model: string,
  ) {
    for (const row of db
      .prepare('SELECT member_id, model, iv, tag, ciphertext FROM face_templates')
      .iterate() as IterableIterator<Row>) {
      if (row.model !== model) continue; // enrolled with another model: re-enrol to match again
      try {
        // Sealed together: the template, then its stage-1 projection (derived data, just as personal).
        const plain = openTemplate(key, row.member_id, row);
        if (plain.length !== TEMPLATE_DIMS + PROJECTION_DIMS) throw new RangeError('template size');
        this.index.set(row.member_id, plain.subarray(0, TEMPLATE_DIMS), plain.subarray(TEMPLATE_DIMS));
      } catch {
        this.unreadable.push(row.member_id);
      }
    }
  }

  /** `projection`: the template's stage-1 projection when the caller already has it (bulk loads). */
  put(
    memberId: string,
    embedding: Float32Array,
    meta: { chainWide: boolean; at: string; staffId: string },
    projection?: Float32Array,
  ): void {
    const plain = new Float32Array(TEMPLATE_DIMS + PROJECTION_DIMS);
    plain.set(embedding);
    plain.set(projection ?? this.index.projectionOf(embedding), TEMPLATE_DIMS);
    const sealed = sealTemplate(this.key, memberId, plain);
    this.db
      .prepare(
        `INSERT INTO face_templates (member_id, model, iv, tag, ciphertext, chain_wide, enrolled_at, enrolled_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (member_id) DO UPDATE SET model = excluded.model, iv = excluded.iv, tag = excluded.tag,
           ciphertext = excluded.ciphertext, chain_wide = excluded.chain_wide, enrolled_at = excluded.enrolled_at,
           enrolled_by = excluded.enrolled_by`,
      )
      .run(
        memberId,
        this.model,
        sealed.iv,
        sealed.tag,
        sealed.ciphertext,
        meta.chainWide ? 1 : 0,
        meta.at,
        meta.staffId,
      );
    this.index.set(memberId, embedding, plain.subarray(TEMPLATE_DIMS));
  }

  delete(memberId: string): boolean {
    const removed = this.db.prepare('DELETE FROM face_templates WHERE member_id = ?').run(memberId).changes > 0;
    return this.index.delete(memberId) || removed;
  }

  memberIds(): string[] {
    return (this.db.prepare('SELECT member_id FROM face_templates').all() as { member_id: string }[]).map(
      (r) => r.member_id,
    );
  }
}
