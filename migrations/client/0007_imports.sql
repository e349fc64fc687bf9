-- Imports from spreadsheets: each is one batch that can be undone. An item is a record
-- the batch created, or one it updated with, per field, the earlier value and the value
-- written (undo restores a field only while it still holds what the import wrote).
CREATE TABLE import_batches (
    id TEXT PRIMARY KEY,
    record_type TEXT NOT NULL,
    file TEXT NOT NULL,
    at INTEGER NOT NULL,
    created INTEGER NOT NULL,
    updated INTEGER NOT NULL,
    undone_at INTEGER
);
CREATE TABLE import_items (
    batch TEXT NOT NULL REFERENCES import_batches (id),
    id TEXT NOT NULL,
    created INTEGER NOT NULL,
    fields TEXT NOT NULL,
    PRIMARY KEY (batch, id)
) WITHOUT ROWID;
-- Undoing an import forgets the records that never left the device: their changes are
-- found in the outbox by record.
CREATE INDEX outbox_doc ON outbox (doc_id);
