-- Each e-mail a campaign sent, once per contact: a sending interrupted and started
-- again reaches only those not reached yet.
CREATE TABLE campaign_sends (
    campaign_id TEXT NOT NULL,
    contact_id  TEXT NOT NULL,
    email       TEXT NOT NULL,
    sent_at     BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, contact_id)
);
