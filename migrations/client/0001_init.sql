-- The device's local store. Append-only: add a new numbered file for every change.

-- Settings of this device: its id, the server, the token, the sync cursor…
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Every record's Automerge document: the source of truth on this device.
CREATE TABLE docs (
    id         TEXT PRIMARY KEY,
    doc_type   TEXT NOT NULL,
    data       BLOB NOT NULL,
    heads      TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

-- Records materialised from the documents, for lists and queries. Rebuilt from `docs`
-- whenever a document changes, in the same transaction.
CREATE TABLE records (
    id         TEXT PRIMARY KEY,
    doc_type   TEXT NOT NULL,
    account_id TEXT,
    label      TEXT NOT NULL,
    at         TEXT,
    fields     TEXT NOT NULL,
    conflicts  TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX records_by_type ON records (doc_type, label COLLATE NOCASE);
CREATE INDEX records_by_account ON records (account_id, doc_type, at);

-- Full-text index over every record; rowid = records.rowid.
CREATE VIRTUAL TABLE search USING fts5 (
    label,
    content,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- Local changes the server has not acknowledged yet, oldest first.
CREATE TABLE outbox (
    seq    INTEGER PRIMARY KEY AUTOINCREMENT,
    hash   TEXT NOT NULL UNIQUE,
    doc_id TEXT NOT NULL,
    data   BLOB NOT NULL
);

-- Local changes the server refused, kept (never deleted) with the reason shown to the user.
CREATE TABLE rejections (
    hash   TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL,
    code   TEXT NOT NULL,
    reason TEXT NOT NULL,
    data   BLOB,
    at     INTEGER NOT NULL
);

-- Records whose local document is incomplete: ask the server for a full snapshot.
CREATE TABLE repairs (
    doc_id TEXT PRIMARY KEY
);
