-- The Monday e-mail of each manager's team report: one per manager and ISO week, claimed
-- before sending (two servers, or a restart, never send it twice).
CREATE TABLE weekly_mails (
    manager_id TEXT NOT NULL,
    week       TEXT NOT NULL,
    sent_at    BIGINT NOT NULL,
    PRIMARY KEY (manager_id, week)
);
