-- Set on every record when the server says what this user may see changed as a whole;
-- cleared on each record the server sends again. Records still marked at the end of
-- the new full sync (and with no unsent change) are no longer this user's: deleted.
ALTER TABLE docs ADD COLUMN sweep INTEGER NOT NULL DEFAULT 0;

-- Deleting from the search index removes the words themselves, not just marks them
-- deleted (RGPD erasure, records leaving the device).
INSERT INTO search (search, rank) VALUES ('secure-delete', 1);
