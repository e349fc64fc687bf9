-- The record as materialised at the last push, sent with snapshots so a device does not
-- have to load every document of its first sync to list and search it.
ALTER TABLE docs ADD COLUMN heads TEXT NOT NULL DEFAULT '';
ALTER TABLE docs ADD COLUMN conflicts TEXT NOT NULL DEFAULT '[]';
