// 0007: members at the till. The member tables are this till's read model of the replicated
// member ops (sync/core/members.ts folds the same ops for the cloud): profile fields LWW per
// field (stamp wins), identities keyed by a keyed hash (the phone itself is not stored here),
// One-ID merges, the points ledger, add-wins tags and erasures. sale_members credits a sale to
// a member in the sale's own transaction; member_code_nonces refuses a replayed member code.
// The open cart remembers its member (id, level, tags) for the pricing engine.
import type { Migration } from '../migrate';

export const migration0007: Migration = {
  version: 7,
  name: 'members',
  up(db) {
    db.exec(`
      CREATE TABLE member_fields (
        member_id TEXT NOT NULL,
        field TEXT NOT NULL,
        op_id TEXT NOT NULL,
        value TEXT,
        PRIMARY KEY (member_id, field)
      );
      CREATE TABLE member_identities (
        type TEXT NOT NULL,
        value_hash TEXT NOT NULL,
        member_id TEXT NOT NULL,
        op_id TEXT NOT NULL,
        PRIMARY KEY (type, value_hash)
      );
      CREATE INDEX member_identities_member ON member_identities(member_id);
      CREATE TABLE member_merges (
        from_id TEXT PRIMARY KEY,
        into_id TEXT NOT NULL,
        op_id TEXT NOT NULL
      );
      CREATE TABLE member_points (
        op_id TEXT PRIMARY KEY,
        member_id TEXT NOT NULL,
        delta INTEGER NOT NULL,
        reason TEXT NOT NULL,
        ref TEXT NOT NULL
      );
      CREATE INDEX member_points_member ON member_points(member_id);
      CREATE INDEX member_points_ref ON member_points(ref);
      CREATE TABLE member_tags (
        add_id TEXT PRIMARY KEY,
        member_id TEXT NOT NULL,
        tag TEXT NOT NULL
      );
      CREATE INDEX member_tags_member ON member_tags(member_id);
      CREATE TABLE member_tag_removals (add_id TEXT PRIMARY KEY);
      CREATE TABLE member_erasures (member_id TEXT PRIMARY KEY, op_id TEXT NOT NULL);
      CREATE TABLE member_code_nonces (
        nonce TEXT PRIMARY KEY,
        member_id TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      );
      CREATE INDEX member_code_nonces_exp ON member_code_nonces(expires_at);
      CREATE TABLE sale_members (
        sale_id TEXT PRIMARY KEY REFERENCES sales(id),
        member_id TEXT NOT NULL,
        points_earned INTEGER NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX sale_members_member ON sale_members(member_id, created_at);
      CREATE INDEX sale_lines_sku ON sale_lines(sale_id, sku);
      ALTER TABLE carts ADD COLUMN member_id TEXT;
      ALTER TABLE carts ADD COLUMN member_level TEXT;
      ALTER TABLE carts ADD COLUMN member_tags TEXT;
      ALTER TABLE carts ADD COLUMN member_display TEXT;
    `);
  },
};
