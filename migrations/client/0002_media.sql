-- Attachments known to this device: files under media/ named by their SHA-256, and
-- whether the server has them yet.
CREATE TABLE media (
    hash     TEXT PRIMARY KEY,
    file     TEXT NOT NULL,
    size     INTEGER NOT NULL,
    uploaded INTEGER NOT NULL DEFAULT 0
);
