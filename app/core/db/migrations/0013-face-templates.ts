// 0013: face templates of members who consented to face lookup (docs/members-face.md). Only
// ciphertext is stored: AES-256-GCM under the till's face key (a 0600 file beside the database),
// with the member id as associated data, so a row copied onto another member does not decrypt.
// Templates stay on this till (they are not replicated); erasure and withdrawn consent delete
// the row.
import type { Migration } from '../migrate';

export const migration0013: Migration = {
  version: 13,
  name: 'face-templates',
  up(db) {
    db.exec(`
      CREATE TABLE face_templates (
        member_id TEXT PRIMARY KEY,
        model TEXT NOT NULL,
        iv BLOB NOT NULL CHECK (length(iv) = 12),
        tag BLOB NOT NULL CHECK (length(tag) = 16),
        ciphertext BLOB NOT NULL,
        chain_wide INTEGER NOT NULL DEFAULT 0 CHECK (chain_wide IN (0, 1)),
        enrolled_at TEXT NOT NULL,
        enrolled_by TEXT NOT NULL
      );
    `);
  },
};
