# What customers send in 2026 (issue 15 item 3): FOCUS 1.2 as AWS Data
# Exports writes it, CUR 2.0 with its map columns, the newer line item
# types (SppDiscount, FlatRateSubscription, Database Savings Plans) and
# an unknown one, and split cost allocation rows. Totals per account x
# service x charge class, and what check says of each file.
. "$LIB"
fixture focus-1.2.csv cur2-types.csv cur2-maps.csv cur2-split.csv
for f in focus-1.2.csv cur2-types.csv cur2-maps.csv cur2-split.csv; do
	rm -f t.db
	$PA --db t.db -q ingest $f
	echo "== $f"
	sqlite3 t.db "SELECT account, service_code, service_name, class, \
	    cost FROM monthly_cost ORDER BY 1, 2, 4"
done
echo "== tag keys (cur2-maps.csv: from the resource_tags map)"
rm -f t.db
$PA --db t.db -q ingest cur2-maps.csv
sqlite3 t.db "SELECT account, tag_key, cost FROM tag_usage ORDER BY 1, 2"
echo "== check"
run $PA check focus-1.2.csv cur2-types.csv cur2-maps.csv cur2-split.csv
