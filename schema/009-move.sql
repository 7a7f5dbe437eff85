-- 009-move.sql: what the move checklist reads that cost_line does not
-- keep (analyzer/checklist.h). Filled by ingest from CUR, CUR 2.0,
-- FOCUS and monthly reports; files stored before this have no rows
-- here until they are ingested again.

-- Per file, payer-month, account and what a line names:
--   kind 'reservation'  ref = reservation ARN, end_time = its end
--   kind 'savings_plan' ref = Savings Plan ARN, end_time = its end
--   kind 'marketplace'  ref = the seller (legal entity), name = product
--   kind 'tax'          ref = the entity that charged it, name = tax type
CREATE TABLE move_line (
	file_id       INTEGER NOT NULL REFERENCES file(id),
	payer_account TEXT NOT NULL,
	period        TEXT NOT NULL,    -- 'YYYY-MM'
	account       TEXT NOT NULL,    -- usage account of the lines
	kind          TEXT NOT NULL CHECK (kind IN ('reservation',
	                  'savings_plan', 'marketplace', 'tax')),
	ref           TEXT NOT NULL,
	name          TEXT NOT NULL DEFAULT '',
	end_time      TEXT NOT NULL DEFAULT '',  -- as the file wrote it
	line_type     TEXT NOT NULL,    -- LineItemType, RecordType... as written
	class         TEXT NOT NULL,    -- as cost_line.class
	view          INTEGER NOT NULL, -- as cost_line.view
	currency      TEXT NOT NULL,
	first_day     TEXT NOT NULL,    -- 'YYYY-MM-DD' of the first line
	last_day      TEXT NOT NULL,    -- ... and of the last
	cost          INTEGER NOT NULL, -- unblended, 1e-10 units
	line_items    INTEGER NOT NULL
);
CREATE INDEX move_line_file ON move_line(file_id, payer_account, period);
