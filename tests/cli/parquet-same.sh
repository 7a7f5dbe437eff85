# a Parquet file and the CSV of the same data give the same totals per
# account x service x charge class, the same inventory and the same
# estimate (issue 15): each CSV fixture is written to Parquet as AWS
# delivers it (legacy CUR in Athena's layout, CUR 2.0 and FOCUS with map
# columns; amounts as DOUBLE, as AWS writes them, and as DECIMAL; every
# compression), and the store and the report (text and JSON) are
# compared byte for byte, less the file's own name, digest, size and container.
# Athena's layout renames tag keys (user:Name -> user_name), so those
# are renamed on the CSV's side before comparing.
. "$LIB"
. "$(dirname "$LIB")/lib-parquet.sh"
need_duckdb
fixture cur.csv cur2.csv focus.csv focus-1.2.csv cur2-types.csv cur2-maps.csv \
    cur2-split.csv
# FOCUS 1.2: the 1.0 fixture with 1.2's InvoiceId, BillingAccountType and
# ServiceSubcategory, and AWS's x_Discounts map (double values)
awk 'NR == 1 { print $0 ",InvoiceId,BillingAccountType,ServiceSubcategory,x_Discounts"; next }
    { print $0 ",INV-2026-10-1,Billing Account,Compute,\"{\"\"bundled\"\": -0.25}\"" }' \
    focus.csv > focus12.csv

echo "== what the CSVs hold"
for f in cur.csv cur2.csv focus.csv focus12.csv focus-1.2.csv cur2-types.csv \
    cur2-maps.csv cur2-split.csv; do
	rm -f t.db
	$PA --db t.db -q ingest $f
	echo "$f:"
	sqlite3 t.db "SELECT account, service_code, class, cost_units FROM \
	    monthly_cost ORDER BY 1, 2, 3"
done

echo "== Parquet"
for c in snappy zstd gzip uncompressed; do
	for t in double decimal; do
		opt=
		[ $t = decimal ] && opt=--decimal
		$C2P --athena $opt --compression $c cur.csv cur-$c-$t.parquet
		$C2P $opt --compression $c cur2.csv cur2-$c-$t.parquet
		$C2P $opt --null NULL --compression $c focus.csv \
		    focus-$c-$t.parquet
		$C2P $opt --null NULL --compression $c focus12.csv \
		    focus12-$c-$t.parquet
		same "cur (Athena layout), $c, $t" cur.csv cur-$c-$t.parquet \
		    's/user:Name/user_name/g'
		same "cur2, $c, $t" cur2.csv cur2-$c-$t.parquet
		same "focus, $c, $t" focus.csv focus-$c-$t.parquet
		same "focus 1.2, $c, $t" focus12.csv focus12-$c-$t.parquet
	done
done

# FOCUS 1.2 as AWS exports it, CUR 2.0 with the newer line item types,
# with map columns only (product, resource_tags, cost_category,
# discount) and with split cost allocation rows
for f in focus-1.2 cur2-types cur2-maps cur2-split; do
	for c in snappy zstd; do
		$C2P --compression $c $f.csv $f-$c.parquet
		same "$f, $c" $f.csv $f-$c.parquet
	done
done

echo "== in a gzip, a zip and on standard input"
gzip -n -c cur2-snappy-double.parquet > cur2.parquet.gz
$(dirname "$PA")/mkarchive cur2.zip \
    export-00001.snappy.parquet=cur2-snappy-double.parquet
same "cur2, gzip" cur2.csv cur2.parquet.gz
same "cur2, zip" cur2.csv cur2.zip
rm -f in.db
$PA --db in.db -q ingest - < cur2-snappy-double.parquet
facts in.db > in.facts
facts pq.db > pq2.facts
if cmp -s in.facts pq2.facts; then
	echo "cur2, stdin: same totals, report and estimate"
else
	echo "cur2, stdin: DIFFERENT"
fi
