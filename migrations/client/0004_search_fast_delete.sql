-- Removing an entry from the search index no longer rewrites the index pages at once
-- (FTS5 secure-delete made every edit of an indexed field cost a seek per word: most of
-- the time of a pull of many edits). The words of removed entries are purged when
-- records leave the device (erasure, records no longer the user's, a revoked device):
-- the store then merges the index ('optimize') or rebuilds it, see `Store::purge_search`.
INSERT INTO search (search, rank) VALUES ('secure-delete', 0);
