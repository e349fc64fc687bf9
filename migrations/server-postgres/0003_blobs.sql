-- Binary attachments (product photos and videos), content-addressed by SHA-256. They sync
-- apart from records, on demand, so a large video never holds back a sync of records.
CREATE TABLE blobs (
    hash        TEXT PRIMARY KEY,
    data        BYTEA NOT NULL,
    size        BIGINT NOT NULL,
    uploaded_by TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
