-- Reports and dashboards read only what a period holds: records by date (an activity's
-- `at`, a task's `due`, a contract's `start`), and activities by the follow-up they set.
CREATE INDEX records_by_date ON records (doc_type, at);
CREATE INDEX records_by_follow_up ON records (doc_type, json_extract(fields, '$.follow_up'));
