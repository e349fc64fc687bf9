-- The keys under which accounts and contacts may be duplicates (SIRET, e-mail, phone in
-- E.164, each word of the name within a postal code or a company): a check on entry
-- looks up the new record's keys, a scan groups records sharing one. Filled by the
-- store as records are written (`crm_core::duplicates::blocking_keys`), and for the
-- records already there at the first opening after this migration.
CREATE TABLE dup_keys (
    key TEXT NOT NULL,
    id TEXT NOT NULL,
    PRIMARY KEY (key, id)
) WITHOUT ROWID;
CREATE INDEX dup_keys_id ON dup_keys (id);
CREATE TRIGGER records_dup_keys_gone AFTER DELETE ON records BEGIN
    DELETE FROM dup_keys WHERE id = old.id;
END;
INSERT INTO meta (key, value) VALUES ('dup_keys_pending', '1')
    ON CONFLICT (key) DO UPDATE SET value = '1';
