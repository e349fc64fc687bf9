-- Identifies this server's change log. It changes when the log is restored from a
-- backup (`crm-server restored`, or automatically when a device is found ahead of the
-- log): devices then re-send what the server may have lost (docs/sync-protocol.md).
INSERT INTO counters (name, value) VALUES ('log_epoch', abs(random()) % 1000000000000);
