-- 002-inventory.sql: service identity, regions, the Pilvi catalog, tags.
-- The reference data (schema/services.csv, regions.csv,
-- pilvi-catalog.csv) is compiled into the binary and copied into these
-- tables whenever it changes (data_version holds its SHA-256).

CREATE TABLE data_version (
	name   TEXT PRIMARY KEY,        -- e.g. 'services.csv'
	sha256 TEXT NOT NULL
);

-- One canonical identity per AWS service: code = CUR lineItem/ProductCode.
CREATE TABLE service_catalog (
	code TEXT PRIMARY KEY,
	name TEXT NOT NULL              -- the product name billing files use
);

-- Every spelling that names a service (its code, its name, short names
-- people type), matched without regard to case.
CREATE TABLE service_alias (
	alias TEXT PRIMARY KEY COLLATE NOCASE,
	code  TEXT NOT NULL REFERENCES service_catalog(code)
);

-- Usage-type prefixes ("EUN1-BoxUsage...") and the region they name.
CREATE TABLE region_prefix (
	prefix TEXT PRIMARY KEY,
	region TEXT NOT NULL,
	name   TEXT NOT NULL
);

-- What Pilvi manages (--catalog FILE shadows it with a TEMP table).
CREATE TABLE pilvi_catalog (
	service_code TEXT PRIMARY KEY,
	status       TEXT NOT NULL CHECK (status IN ('supported', 'unsupported')),
	note         TEXT NOT NULL DEFAULT ''
);

-- Line items carrying at least one non-empty tag.
ALTER TABLE cost_line ADD COLUMN tagged INTEGER NOT NULL DEFAULT 0;

-- Tag keys in use: per file, payer-month and account, the cost of the
-- lines that carry the key (usage, fee and discount lines).
CREATE TABLE tag_usage (
	file_id       INTEGER NOT NULL REFERENCES file(id),
	payer_account TEXT NOT NULL,
	period        TEXT NOT NULL,
	account       TEXT NOT NULL,
	tag_key       TEXT NOT NULL,
	view          INTEGER NOT NULL DEFAULT 0,  -- as cost_line.view
	cost          INTEGER NOT NULL,
	line_items    INTEGER NOT NULL
);
CREATE INDEX tag_usage_file ON tag_usage(file_id, payer_account, period);

-- The service a stored (code, name) pair is: through the aliases when
-- known, else under its own code or name, flagged unknown.
CREATE VIEW service_identity AS
SELECT s.id AS service,
       COALESCE(ac.code, an.code,
                CASE WHEN s.code GLOB '*[A-Za-z]*' THEN s.code END,
                NULLIF(s.name, ''), '(none)') AS code,
       COALESCE(c.name, NULLIF(s.name, ''), s.code) AS name,
       COALESCE(ac.code, an.code) IS NULL AS unknown
FROM service s
LEFT JOIN service_alias ac ON ac.alias = NULLIF(s.code, '')
LEFT JOIN service_alias an ON an.alias = NULLIF(s.name, '')
LEFT JOIN service_catalog c ON c.code = COALESCE(ac.code, an.code);

-- Line items with the family they come from, for inventory.
DROP VIEW account_line;
CREATE VIEW account_line AS
SELECT cp.payer_account, cp.format, cl.*
FROM cost_line cl
JOIN account pa ON pa.id = cl.payer
JOIN counted_period cp ON cp.file_id = cl.file_id
	AND cp.payer_account = pa.account_id AND cp.period = cl.period
WHERE cl.view = 0 OR (cl.view = 2 AND cp.has_linked_view)
   OR (cl.view = 1 AND NOT cp.has_linked_view);

-- monthly_cost and daily_cost name services by their identity now.
DROP VIEW monthly_cost;
CREATE VIEW monthly_cost AS
SELECT al.payer_account, a.account_id AS account, a.name AS account_name,
       al.period, si.code AS service_code, si.name AS service_name,
       al.class, al.currency, SUM(al.cost) / 1e10 AS cost,
       SUM(al.cost) AS cost_units
FROM account_line al
JOIN account a ON a.id = al.account
LEFT JOIN service_identity si ON si.service = al.service
GROUP BY al.payer_account, a.account_id, al.period, si.code, al.class,
         al.currency;

DROP VIEW daily_cost;
CREATE VIEW daily_cost AS
SELECT al.payer_account, a.account_id AS account, al.day,
       si.code AS service_code, si.name AS service_name, al.currency,
       SUM(al.cost) / 1e10 AS cost, SUM(al.cost) AS cost_units
FROM account_line al
JOIN account a ON a.id = al.account
LEFT JOIN service_identity si ON si.service = al.service
GROUP BY al.payer_account, a.account_id, al.day, si.code, al.currency;
