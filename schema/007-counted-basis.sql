-- 007-counted-basis.sql: counted_period carries each delivery's cost
-- basis (006), so the report and the estimate read it from there.
DROP VIEW counted_period;
CREATE VIEW counted_period AS
SELECT fp.*, f.format, f.detail_rank, f.cost_basis
FROM file_period fp JOIN file f ON f.id = fp.file_id
WHERE f.status = 'ok' AND fp.active = 1
  AND f.detail_rank = (
	SELECT MAX(f2.detail_rank)
	FROM file_period fp2 JOIN file f2 ON f2.id = fp2.file_id
	WHERE f2.status = 'ok' AND fp2.active = 1
	  AND fp2.payer_account = fp.payer_account AND fp2.period = fp.period);
