-- The shared mailbox polled over IMAP: how far it was read (per mailbox and UIDVALIDITY),
-- and the Message-IDs already filed, so a message is filed once whatever happens to
-- the mailbox's numbering.
CREATE TABLE mailbox_state (
    mailbox     TEXT PRIMARY KEY,
    uidvalidity BIGINT NOT NULL,
    last_uid    BIGINT NOT NULL
);
CREATE TABLE mail_seen (
    message_id TEXT PRIMARY KEY,
    filed_at   BIGINT NOT NULL
);
