-- The sync server's schema (SQLite). Append-only: never edit a released migration.
CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL,
    manager_id    TEXT REFERENCES users(id),
    password_hash TEXT NOT NULL,
    disabled      BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL
);

CREATE TABLE devices (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id),
    name         TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT,
    revoked      BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE tokens (
    token_hash TEXT PRIMARY KEY,
    device_id  TEXT NOT NULL REFERENCES devices(id),
    user_id    TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

-- The server's copy of every record: the merged Automerge document and the fields
-- materialised from it (for authorisation now, reports later).
CREATE TABLE docs (
    id         TEXT PRIMARY KEY,
    doc_type   TEXT NOT NULL,
    data       BLOB NOT NULL,
    first_seq  BIGINT,
    last_seq   BIGINT,
    account_id TEXT,
    owner_id   TEXT,
    label      TEXT NOT NULL DEFAULT '',
    fields     TEXT NOT NULL DEFAULT '{}',
    updated_at BIGINT NOT NULL
);
CREATE INDEX docs_account ON docs (account_id);
CREATE INDEX docs_type ON docs (doc_type);

-- The append-only change log. `seq` is assigned under the `change_seq` counter's lock at
-- the end of the pushing transaction, so sequence numbers become visible in order.
CREATE TABLE changes (
    seq         BIGINT PRIMARY KEY,
    hash        TEXT NOT NULL UNIQUE,
    doc_id      TEXT NOT NULL,
    device_id   TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    data        BLOB NOT NULL,
    received_at BIGINT NOT NULL
);
CREATE INDEX changes_doc ON changes (doc_id, seq);

CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO counters (name, value) VALUES ('change_seq', 0);
