-- The REST API's keys (only their SHA-256 is kept) and webhooks: who is told of what,
-- the events the pushes produced (in the push's transaction, so none is lost and none
-- is told twice), and each attempt to deliver one.
CREATE TABLE api_keys (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    user_id      TEXT NOT NULL REFERENCES users(id),
    key_hash     TEXT NOT NULL UNIQUE,
    created_at   BIGINT NOT NULL,
    revoked_at   BIGINT,
    last_used_at BIGINT
);

CREATE TABLE webhooks (
    id            TEXT PRIMARY KEY,
    url           TEXT NOT NULL,
    events        TEXT NOT NULL,
    secret        TEXT NOT NULL,
    allow_private BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL,
    -- The last event handled (delivered, or not of its kinds): events go out in order.
    cursor        BIGINT NOT NULL DEFAULT 0,
    -- Failed attempts in a row at the event after the cursor, and when to try again.
    failures      BIGINT NOT NULL DEFAULT 0,
    retry_at      BIGINT NOT NULL DEFAULT 0,
    disabled_at   BIGINT
);

CREATE TABLE webhook_events (
    seq        BIGINT PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,
    kind       TEXT NOT NULL,
    record_id  TEXT NOT NULL,
    payload    TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE webhook_deliveries (
    id          TEXT PRIMARY KEY,
    webhook_id  TEXT NOT NULL,
    event_id    TEXT NOT NULL,
    kind        TEXT NOT NULL,
    attempt     BIGINT NOT NULL,
    at          BIGINT NOT NULL,
    status      BIGINT,
    error       TEXT NOT NULL DEFAULT '',
    delivered   BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX webhook_deliveries_at ON webhook_deliveries (at);
INSERT INTO counters (name, value) VALUES ('webhook_event_seq', 0);
