# inventory of a DBR-RT: services per account with regions, usage types,
# resources, days, cost, share, Pilvi support, tags
. "$LIB"
cp "$FIXTURES"/demo/*.csv demo.csv
run $PA --db a.db -q ingest demo.csv
run $PA --db a.db inventory
run $PA --db a.db inventory --account 098765432109 --month 2026-10
run $PA --db a.db inventory --month 2026-09
run $PA --db a.db inventory --threshold 0
run $PA --db a.db inventory extra
