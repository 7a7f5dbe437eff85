-- 003-estimate.sql: what the budget estimate needs.

-- How far the hourly and daily lines of a delivery reach (exclusive),
-- unlike last_end, which whole-month lines (fees, credits) stretch to
-- the month's end. NULL: the delivery has only whole-month lines.
ALTER TABLE file_period ADD COLUMN usage_end TEXT;

-- Every estimate made, with the data it stood on, so that when the month
-- is final the report can say how far each estimate was off.
CREATE TABLE estimate_log (
	id            INTEGER PRIMARY KEY,
	made_at       TEXT NOT NULL,    -- UTC, ISO 8601
	payer_account TEXT NOT NULL,
	period        TEXT NOT NULL,    -- YYYY-MM
	data_through  TEXT,             -- last complete day used
	days_observed INTEGER NOT NULL,
	amount        INTEGER NOT NULL, -- 1e-10 units
	low           INTEGER NOT NULL,
	high          INTEGER NOT NULL,
	confidence    TEXT NOT NULL,
	method        TEXT NOT NULL,
	UNIQUE (payer_account, period, data_through, method)
);
