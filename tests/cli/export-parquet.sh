# export --format parquet: the lines, the daily rows and the feed as
# Hive-partitioned Parquet (issue 15), read back with DuckDB as another
# engine would read them: per payer and month, each dataset adds up to
# the CSV feed's amounts, exactly; the types are the documented ones; a
# second export replaces the first, and a folder that is not an export
# is left alone
. "$LIB"
. "$(dirname "$LIB")/lib-parquet.sh"
need_duckdb
Q=$(dirname "$PA")/duckq
fixture cur.csv cur2.csv monthly-consolidated.csv hostile-names.csv \
    cost-allocation.csv
cp "$FIXTURES"/demo/*.csv demo.csv
# a second month of cur2's payer (whose id has a leading zero)
sed -e 's/2026-09/2026-08/g' -e 's/2026-10-01/2026-09-01/g' \
    -e 's/,0\.4992000000,/,0.5100000001,/' cur2.csv > cur2-aug.csv
run $PA --db a.db -q ingest cur.csv cur2.csv cur2-aug.csv \
    monthly-consolidated.csv hostile-names.csv cost-allocation.csv demo.csv
run $PA --db a.db export --format csv -o feed.csv
run $PA --db a.db export --format parquet out
find out | sort
stat -c '%a %n' out

# how an engine reads it: every part file, the partition columns as text
pq() {
	echo "read_parquet('out/$1/*/*/*.parquet', hive_partitioning = true,
	    hive_types = {'payer_account': VARCHAR, 'month': VARCHAR})"
}
echo "== per payer and month: lines, daily, monthly and the csv feed"
$Q "SELECT payer_account, month, l.amount AS lines, d.amount AS daily,
    m.amount AS monthly, c.amount AS csv,
    CASE WHEN l.amount = c.amount AND d.amount = c.amount
         AND m.amount = c.amount THEN 'same' ELSE 'DIFFERENT' END AS check
    FROM (SELECT payer_account, month, SUM(amount) AS amount
          FROM $(pq lines) GROUP BY ALL) l
    FULL JOIN (SELECT payer_account, month, SUM(amount) AS amount
          FROM $(pq daily) GROUP BY ALL) d USING (payer_account, month)
    FULL JOIN (SELECT payer_account, month, SUM(amount) AS amount
          FROM $(pq monthly) WHERE kind = 'actual' GROUP BY ALL) m
          USING (payer_account, month)
    FULL JOIN (SELECT payer_account, month,
          SUM(CAST(amount AS DECIMAL(38,10))) AS amount
          FROM read_csv('feed.csv', all_varchar = true)
          WHERE kind = 'actual' GROUP BY ALL) c USING (payer_account, month)
    ORDER BY payer_account, month"
echo "== per account, service and charge class, each dataset against the feed"
for ds in lines daily monthly; do
	$Q "SELECT '$ds' AS dataset, COUNT(*) AS keys,
	    COUNT(*) FILTER (WHERE p.amount IS DISTINCT FROM c.amount) AS differ
	    FROM (SELECT payer_account, month, account_id, service_code,
	          charge_class, currency, SUM(amount) AS amount FROM $(pq $ds)
	          WHERE charge_class IS NOT NULL GROUP BY ALL) p
	    FULL JOIN (SELECT payer_account, month, account_id, service_code,
	          charge_class, currency,
	          SUM(CAST(amount AS DECIMAL(38,10))) AS amount
	          FROM read_csv('feed.csv', all_varchar = true)
	          WHERE kind = 'actual' GROUP BY ALL) c
	    USING (payer_account, month, account_id, service_code,
	           charge_class, currency)"
done
echo "== the feed's estimate rows"
$Q "SELECT payer_account, month, month_status, days_covered, as_of, amount,
    low, high, typical_error_pct FROM $(pq monthly) WHERE kind = 'estimate'
    ORDER BY ALL"
echo "== columns"
for ds in lines daily monthly; do
	echo "$ds:"
	$Q "SELECT column_name, column_type FROM
	    (DESCRIBE SELECT * FROM $(pq $ds))" | sed -e 1d -e 's/,/ /' \
	    -e 's/"//g' | paste -s -d, - | sed 's/,/, /g' | fold -s -w 76 |
	    sed 's/ $//'
	echo
done
echo "== a consolidated report's lines: the invoice's remainder beyond the"
echo "== per-account split (its rounding) is the payer's, line_items 0"
$Q "SELECT account_id, day, span_days, service_code, usage_type,
    line_item_type, charge_class, amount, line_items FROM $(pq lines)
    WHERE payer_account = '111111111111' ORDER BY ALL"

echo "== again, one payer: the folder is replaced, nothing of the first left"
run $PA --db a.db export --format parquet --payer 010101010101 -o out
find out -name '*.parquet' | sort
ls -a . | grep -c 'out\.tmp' || true

echo "== one member account: only its payer-months get folders"
run $PA --db a.db -q export --format parquet --account 222222222222 acct
find acct -type d | sort
$Q "SELECT payer_account, month, account_id, SUM(amount) AS amount
    FROM $(pq ../acct/lines) GROUP BY ALL"

echo "== --pricing: the feed's pilvi rows too, as in the csv"
R=$FIXTURES/../schema/pricing-rules.csv
$PA --db a.db -q export --format csv --pricing "$R" -o feed-p.csv
run $PA --db a.db -q export --format parquet --pricing "$R" priced
$Q "SELECT 'parquet' AS file, kind, COUNT(*) AS n, SUM(amount) AS amount
    FROM $(pq ../priced/monthly) GROUP BY ALL
    UNION ALL SELECT 'csv', kind, COUNT(*),
    SUM(CAST(amount AS DECIMAL(38,10)))
    FROM read_csv('feed-p.csv', all_varchar = true) GROUP BY ALL
    ORDER BY kind, file"

echo "== a payer id that is no folder name: escaped as Hive escapes, read back whole"
sed 's/010101010101/01 01\/..%x/g' cur2.csv > odd.csv
$PA --db odd.db -q ingest odd.csv 2>/dev/null
$PA --db odd.db -q export --format parquet odd
find odd -type d | sort
$Q "SELECT DISTINCT payer_account FROM $(pq ../odd/lines)"

echo "== refused"
mkdir mine && echo keep > mine/notes.txt
run $PA --db a.db export --format parquet mine
cat mine/notes.txt
run $PA --db a.db export --format parquet feed.csv
run $PA --db a.db export --format parquet
run $PA --db a.db export --format parquet -o -
run $PA --db a.db export --format parquet out extra
PILVI_DUCKDB=/nonexistent/libduckdb.so run $PA --db a.db export \
    --format parquet new
ls -d new 2>/dev/null || echo "no folder 'new'"
ls -a . | grep -c '\.tmp\.' || true
