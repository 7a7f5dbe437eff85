-- 005-summaries.sql: two summaries of cost_line that reports read instead.
--
-- cost_line keeps a row per day and every name; a month of hourly lines
-- with thousands of resources makes hundreds of thousands of rows, and
-- each report query paid for all of them. Both tables are written by
-- ingest with the file's cost_line rows (and filled here from them for
-- databases made before); they change only with them.

-- A month per key: every cost_line column but the day, with the days
-- the key's lines cover. For the inventory and the monthly figures.
CREATE TABLE cost_month (
	file_id    INTEGER NOT NULL REFERENCES file(id),
	payer      INTEGER NOT NULL REFERENCES account(id),
	period     TEXT NOT NULL,
	account    INTEGER NOT NULL REFERENCES account(id),
	service    INTEGER REFERENCES service(id),
	usage_type INTEGER REFERENCES usage_type(id),
	operation  INTEGER REFERENCES operation(id),
	location   INTEGER REFERENCES location(id),
	resource   INTEGER REFERENCES resource(id),
	line_type  INTEGER REFERENCES line_type(id),
	class      TEXT NOT NULL,
	view       INTEGER NOT NULL,
	currency   TEXT NOT NULL,
	tagged     INTEGER NOT NULL,
	first_day  TEXT NOT NULL,       -- first usage day, 'YYYY-MM-DD'
	last_day   TEXT NOT NULL,       -- last day covered: day + span_days - 1
	quantity   REAL NOT NULL,
	cost       INTEGER NOT NULL,
	blended    INTEGER,
	line_items INTEGER NOT NULL
);
CREATE INDEX cost_month_file ON cost_month(file_id, payer, period);

-- A day per service, line type and class: for the daily series and the
-- estimate. The usage type is kept only where a line is not one day's
-- usage or discount (recurring fees are told by it); operation,
-- location, resource and tags are left out.
CREATE TABLE cost_day (
	file_id    INTEGER NOT NULL REFERENCES file(id),
	payer      INTEGER NOT NULL REFERENCES account(id),
	period     TEXT NOT NULL,
	day        TEXT NOT NULL,
	span_days  INTEGER NOT NULL,
	account    INTEGER NOT NULL REFERENCES account(id),
	service    INTEGER REFERENCES service(id),
	usage_type INTEGER REFERENCES usage_type(id),
	line_type  INTEGER REFERENCES line_type(id),
	class      TEXT NOT NULL,
	view       INTEGER NOT NULL,
	currency   TEXT NOT NULL,
	cost       INTEGER NOT NULL,
	line_items INTEGER NOT NULL
);
CREATE INDEX cost_day_file ON cost_day(file_id, payer, period);

INSERT INTO cost_month
SELECT file_id, payer, period, account, service, usage_type, operation,
       location, resource, line_type, class, view, currency, tagged,
       MIN(day), MAX(date(day, '+' || (span_days - 1) || ' days')),
       SUM(quantity), SUM(cost), SUM(blended), SUM(line_items)
FROM cost_line
GROUP BY file_id, payer, period, account, service, usage_type, operation,
         location, resource, line_type, class, view, currency, tagged;

INSERT INTO cost_day
SELECT file_id, payer, period, day, span_days, account, service,
       CASE WHEN class IN ('usage', 'discount') AND span_days = 1
            THEN NULL ELSE usage_type END,
       line_type, class, view, currency, SUM(cost), SUM(line_items)
FROM cost_line
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12;

-- As account_line and invoice_line (001, 002), over the summaries.
CREATE VIEW account_month AS
SELECT cp.payer_account, cp.format, cm.*
FROM cost_month cm
JOIN account pa ON pa.id = cm.payer
JOIN counted_period cp ON cp.file_id = cm.file_id
	AND cp.payer_account = pa.account_id AND cp.period = cm.period
WHERE cm.view = 0 OR (cm.view = 2 AND cp.has_linked_view)
   OR (cm.view = 1 AND NOT cp.has_linked_view);

CREATE VIEW invoice_day AS
SELECT cp.payer_account, cd.*
FROM cost_day cd
JOIN account pa ON pa.id = cd.payer
JOIN counted_period cp ON cp.file_id = cd.file_id
	AND cp.payer_account = pa.account_id AND cp.period = cd.period
WHERE cd.view = 0 OR (cd.view = 1 AND cp.has_payer_view)
   OR (cd.view = 2 AND NOT cp.has_payer_view);
