-- 004-mail.sql: where a file came from when it arrived by e-mail.
ALTER TABLE file ADD COLUMN mail_from TEXT;
ALTER TABLE file ADD COLUMN mail_subject TEXT;
ALTER TABLE file ADD COLUMN mail_message_id TEXT;
ALTER TABLE file ADD COLUMN mail_date TEXT;      -- UTC, ISO 8601
