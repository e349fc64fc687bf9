-- Holding against hostile clients (docs/sync-protocol.md, docs/permissions.md).
-- A scope entry names the record's previous effective owner: a device is told to drop a
-- record only if its user could read it before.
ALTER TABLE changes ADD COLUMN prev_owner TEXT;
-- A change made on another device and relayed by the sender after a restore.
ALTER TABLE changes ADD COLUMN relayed BIGINT NOT NULL DEFAULT 0;
-- The owners an erased person's record had: devices that could read it purge every trace.
ALTER TABLE docs ADD COLUMN erased_owners TEXT NOT NULL DEFAULT '';
-- A token replaced by a refresh cannot be refreshed again; a new login ends a device's
-- older tokens.
ALTER TABLE tokens ADD COLUMN replaced BIGINT NOT NULL DEFAULT 0;
CREATE INDEX tokens_device ON tokens (device_id);
-- Secrets of this server (the key that signs cursors), kept with its data.
CREATE TABLE server_secrets (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
-- Until when, after a restore, devices may relay changes made on other devices.
INSERT INTO counters (name, value) VALUES ('recovery_until', 0);
-- Attachments: quota per user, and collection of those no record names any more.
CREATE INDEX blobs_uploader ON blobs (uploaded_by);
