-- A refused change keeps the server's problem (a code and its parameters) so the app
-- tells the reason in the user's language; `reason` keeps the server's words.
ALTER TABLE rejections ADD COLUMN problem TEXT;
