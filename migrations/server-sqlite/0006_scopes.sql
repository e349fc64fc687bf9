-- Who sees what (docs/permissions.md). `docs.owner_id` is the record's effective owner:
-- its own owner field, or its account's owner when it has none (`inherits_owner`).
-- `scope_seq` is the log position of the last time the record changed hands; a device
-- whose cursor is before it gets the record whole, or is told to drop it.
ALTER TABLE docs ADD COLUMN inherits_owner BIGINT NOT NULL DEFAULT 0;
ALTER TABLE docs ADD COLUMN scope_seq BIGINT NOT NULL DEFAULT 0;
-- Set when the record was rewritten under a new history (RGPD erasure): devices replace
-- their copy and the old history is refused forever.
ALTER TABLE docs ADD COLUMN reset_seq BIGINT NOT NULL DEFAULT 0;
CREATE INDEX docs_owner ON docs (owner_id);
CREATE INDEX docs_account_inherits ON docs (account_id, inherits_owner);

-- Bumped when what a user may see changes as a whole (role, team); a device behind it
-- starts its sync over and drops what it no longer receives.
ALTER TABLE users ADD COLUMN scope_epoch BIGINT NOT NULL DEFAULT 0;
ALTER TABLE devices ADD COLUMN scope_epoch BIGINT NOT NULL DEFAULT 0;

-- Territories: rules that give new accounts and leads an owner (first match, by rank).
CREATE TABLE territories (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    owner_id    TEXT NOT NULL REFERENCES users(id),
    postal_prefixes TEXT NOT NULL DEFAULT '',
    countries   TEXT NOT NULL DEFAULT '',
    sectors     TEXT NOT NULL DEFAULT '',
    product_lines TEXT NOT NULL DEFAULT '',
    rank        BIGINT NOT NULL,
    created_at  BIGINT NOT NULL
);
