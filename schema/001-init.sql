-- 001-init.sql: the first schema. Money is INTEGER units of 1e-10 of the
-- currency (value * 10^10), never REAL; account ids are TEXT.

-- Every input file that was ingested, one row per file.
CREATE TABLE file (
	id          INTEGER PRIMARY KEY,
	name        TEXT NOT NULL,      -- the path as given
	sha256      TEXT NOT NULL,      -- of the raw bytes, container included
	size        INTEGER NOT NULL,   -- raw bytes
	container   TEXT NOT NULL,      -- plain | gzip | zip | archive
	format      TEXT NOT NULL,      -- monthly | cost-allocation | dbr | dbr-rt | cur | cur2 | focus
	detail_rank INTEGER NOT NULL,   -- higher = more detailed family (format.c)
	part        TEXT NOT NULL DEFAULT '',  -- part number of multi-part deliveries
	payer_account TEXT,
	period      TEXT,               -- 'YYYY-MM', or 'YYYY-MM..YYYY-MM'
	rows        INTEGER NOT NULL,   -- data records read
	warnings    TEXT NOT NULL DEFAULT '',  -- one per line
	status      TEXT NOT NULL CHECK (status IN ('ok', 'replaced')),
	replaced_by INTEGER REFERENCES file(id),
	ingested_at TEXT NOT NULL       -- UTC, 'YYYY-MM-DDTHH:MM:SSZ'
);
CREATE INDEX file_sha256 ON file(sha256);

-- What one file says about one payer's billing month.
CREATE TABLE file_period (
	file_id       INTEGER NOT NULL REFERENCES file(id),
	payer_account TEXT NOT NULL,
	period        TEXT NOT NULL,    -- 'YYYY-MM'
	first_day     TEXT,             -- first and last usage day seen
	last_day      TEXT,
	last_end      TEXT,             -- latest usage end, exclusive, ISO 8601
	currency      TEXT NOT NULL DEFAULT 'USD',
	places        INTEGER NOT NULL DEFAULT 2,  -- decimals the costs were written with
	estimated     INTEGER NOT NULL, -- 1: open month, 0: invoiced (final)
	rows          INTEGER NOT NULL,
	has_payer_view  INTEGER NOT NULL DEFAULT 0,  -- PayerLineItem rows present
	has_linked_view INTEGER NOT NULL DEFAULT 0,  -- LinkedLineItem rows present
	statement_total INTEGER,        -- StatementTotal, else sum of InvoiceTotal; NULL: none
	active        INTEGER NOT NULL DEFAULT 1,    -- 0: replaced by a re-delivery
	PRIMARY KEY (file_id, payer_account, period)
);
CREATE INDEX file_period_key ON file_period(payer_account, period);

-- Dimensions: each repeated string stored once.
CREATE TABLE account (
	id         INTEGER PRIMARY KEY,
	account_id TEXT NOT NULL UNIQUE,
	name       TEXT
);
CREATE TABLE service (
	id   INTEGER PRIMARY KEY,
	code TEXT NOT NULL,             -- ProductCode / x_ServiceCode, '' when absent
	name TEXT NOT NULL,             -- ProductName / ServiceName, '' when absent
	UNIQUE (code, name)
);
CREATE TABLE usage_type (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE operation  (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE location (
	id     INTEGER PRIMARY KEY,
	region TEXT NOT NULL,
	az     TEXT NOT NULL,
	UNIQUE (region, az)
);
CREATE TABLE resource  (id INTEGER PRIMARY KEY, resource_id TEXT NOT NULL UNIQUE);
CREATE TABLE line_type (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);

-- The facts: line items summed per usage day and every dimension.
-- The same key can appear in several rows (ingest flushes its in-memory
-- sums in batches); always SUM.
CREATE TABLE cost_line (
	file_id    INTEGER NOT NULL REFERENCES file(id),
	payer      INTEGER NOT NULL REFERENCES account(id),
	period     TEXT NOT NULL,       -- billing period 'YYYY-MM'
	day        TEXT NOT NULL,       -- usage start day 'YYYY-MM-DD', UTC
	span_days  INTEGER NOT NULL,    -- 1, or the days a period-long line covers
	account    INTEGER NOT NULL REFERENCES account(id),
	service    INTEGER REFERENCES service(id),
	usage_type INTEGER REFERENCES usage_type(id),
	operation  INTEGER REFERENCES operation(id),
	location   INTEGER REFERENCES location(id),
	resource   INTEGER REFERENCES resource(id),
	line_type  INTEGER REFERENCES line_type(id),
	class      TEXT NOT NULL CHECK (class IN ('usage', 'fee', 'discount',
	               'credit', 'refund', 'tax', 'rounding')),
	view       INTEGER NOT NULL,    -- 0 all, 1 invoice lines only, 2 per-account split only
	currency   TEXT NOT NULL,
	quantity   REAL NOT NULL,
	cost       INTEGER NOT NULL,    -- unblended, in 1e-10 units
	blended    INTEGER,             -- 1e-10 units; NULL when the file has none
	line_items INTEGER NOT NULL     -- input lines summed into this row
);
CREATE INDEX cost_line_file ON cost_line(file_id, payer, period);

-- Reconciliation rows (StatementTotal, InvoiceTotal, AccountTotal).
CREATE TABLE file_total (
	file_id       INTEGER NOT NULL REFERENCES file(id),
	payer_account TEXT NOT NULL,
	period        TEXT NOT NULL,
	kind          TEXT NOT NULL CHECK (kind IN ('statement', 'invoice', 'account')),
	account       TEXT,
	invoice_id    TEXT,
	amount        INTEGER NOT NULL
);

-- The deliveries that count: per payer and month, the active
-- deliveries of the most detailed family present.
CREATE VIEW counted_period AS
SELECT fp.*, f.format, f.detail_rank
FROM file_period fp JOIN file f ON f.id = fp.file_id
WHERE f.status = 'ok' AND fp.active = 1
  AND f.detail_rank = (
	SELECT MAX(f2.detail_rank)
	FROM file_period fp2 JOIN file f2 ON f2.id = fp2.file_id
	WHERE f2.status = 'ok' AND fp2.active = 1
	  AND fp2.payer_account = fp.payer_account AND fp2.period = fp.period);

-- Lines of counted deliveries as the invoice sees them: invoice lines
-- where a consolidated monthly report has them, never both views.
CREATE VIEW invoice_line AS
SELECT cp.payer_account, cl.*
FROM cost_line cl
JOIN account pa ON pa.id = cl.payer
JOIN counted_period cp ON cp.file_id = cl.file_id
	AND cp.payer_account = pa.account_id AND cp.period = cl.period
WHERE cl.view = 0 OR (cl.view = 1 AND cp.has_payer_view)
   OR (cl.view = 2 AND NOT cp.has_payer_view);

-- Lines of counted deliveries split per member account: the linked
-- lines where a monthly report has them.
CREATE VIEW account_line AS
SELECT cp.payer_account, cl.*
FROM cost_line cl
JOIN account pa ON pa.id = cl.payer
JOIN counted_period cp ON cp.file_id = cl.file_id
	AND cp.payer_account = pa.account_id AND cp.period = cl.period
WHERE cl.view = 0 OR (cl.view = 2 AND cp.has_linked_view)
   OR (cl.view = 1 AND NOT cp.has_linked_view);

-- For people with sqlite3: costs in currency units (REAL, for reading;
-- the tool itself sums the INTEGER 1e-10 units).
CREATE VIEW monthly_cost AS
SELECT al.payer_account, a.account_id AS account, a.name AS account_name,
       al.period, s.code AS service_code, s.name AS service_name,
       al.class, al.currency, SUM(al.cost) / 1e10 AS cost,
       SUM(al.cost) AS cost_units
FROM account_line al
JOIN account a ON a.id = al.account
LEFT JOIN service s ON s.id = al.service
GROUP BY al.payer_account, a.account_id, al.period, al.service, al.class,
         al.currency;

CREATE VIEW daily_cost AS
SELECT al.payer_account, a.account_id AS account, al.day,
       s.code AS service_code, s.name AS service_name, al.currency,
       SUM(al.cost) / 1e10 AS cost, SUM(al.cost) AS cost_units
FROM account_line al
JOIN account a ON a.id = al.account
LEFT JOIN service s ON s.id = al.service
GROUP BY al.payer_account, a.account_id, al.day, al.service, al.currency;
