# a re-delivered month replaces the earlier delivery; CUR parts of one
# delivery are kept side by side
. "$LIB"
fixture monthly-consolidated.csv monthly-consolidated-v2.csv acme-1.csv acme-2.csv
run $PA --db a.db ingest monthly-consolidated.csv
run $PA --db a.db ingest monthly-consolidated-v2.csv
run $PA --db a.db ingest acme-1.csv acme-2.csv
run $PA --db a.db files
run $PA --db a.db report --payer 111111111111
sqlite3 a.db "SELECT file_id, COUNT(*) FROM cost_line GROUP BY file_id"
