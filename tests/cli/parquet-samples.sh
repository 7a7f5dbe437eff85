# the real samples with daily lines give the same totals, report and
# estimate from Parquet as from their CSV (issue 15; see parquet-same.sh)
. "$LIB"
. "$(dirname "$LIB")/lib-parquet.sh"
need_samples
need_duckdb
for f in cur-2018-02.csv.gz focus-1.0-sample-2024-09.csv \
    cur2-mock-2024-09.csv.gz; do
	rm -f t.db
	$PA --db t.db -q ingest samples/$f
	echo "$f:"
	sqlite3 t.db "SELECT class, SUM(cost_units) FROM monthly_cost \
	    GROUP BY 1 ORDER BY 1"
done
$C2P --athena samples/cur-2018-02.csv.gz cur.parquet
$C2P --athena --decimal --compression zstd samples/cur-2018-02.csv.gz \
    cur-decimal.parquet
$C2P --null NULL samples/focus-1.0-sample-2024-09.csv focus.parquet
$C2P --null NULL --decimal --compression gzip \
    samples/focus-1.0-sample-2024-09.csv focus-decimal.parquet
$C2P samples/cur2-mock-2024-09.csv.gz cur2.parquet
same "cur (Athena layout), snappy, double" samples/cur-2018-02.csv.gz \
    cur.parquet
same "cur (Athena layout), zstd, decimal" samples/cur-2018-02.csv.gz \
    cur-decimal.parquet
same "focus, snappy, double" samples/focus-1.0-sample-2024-09.csv \
    focus.parquet
same "focus, gzip, decimal" samples/focus-1.0-sample-2024-09.csv \
    focus-decimal.parquet
# the CUR 2.0 mock writes amounts with 4 to 6 decimals; as DOUBLE they
# read back as 10 (parquet.h), the same amounts
LOOSE=1 same "cur2, snappy, double (amounts to their last digit)" \
    samples/cur2-mock-2024-09.csv.gz cur2.parquet
