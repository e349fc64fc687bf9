-- Leads are filed under their e-mail and phone keys too (the incoming-call lookup and
-- the duplicate check of a new lead): the leads already there are filed at the next
-- opening.
INSERT INTO meta (key, value) VALUES ('dup_keys_pending', '1')
    ON CONFLICT (key) DO UPDATE SET value = '1';
