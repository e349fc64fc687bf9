-- Web-to-lead: the forms of the company's web sites (their public key, the one origin
-- allowed to post, the source their leads get), and each submission's fingerprint so
-- that a double submit makes one lead (docs/sync-protocol.md, "Public routes").
CREATE TABLE lead_forms (
    form_key       TEXT PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE,
    allowed_origin TEXT NOT NULL,
    source         TEXT NOT NULL,
    created_at     BIGINT NOT NULL
);
CREATE TABLE lead_submissions (
    fingerprint TEXT PRIMARY KEY,
    lead_id     TEXT NOT NULL,
    received_at BIGINT NOT NULL
);
