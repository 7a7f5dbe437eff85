-- 008-delivery-sketch.sql: which deliveries of a month repeat each
-- other is read from their lines (analyzer/sketch.h): each file keeps,
-- per payer-month, a sample of its line identities. A file ingested
-- before this has none; its months are compared by file-name part as
-- before.
CREATE TABLE file_sketch (
	file_id INTEGER NOT NULL REFERENCES file(id),
	payer_account TEXT NOT NULL,
	period TEXT NOT NULL,
	sample BLOB NOT NULL,		-- sketch_encode()
	PRIMARY KEY (file_id, payer_account, period)
);
