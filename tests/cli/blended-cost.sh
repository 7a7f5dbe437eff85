# blended-cost: a consolidated DBR with resources and tags exported with
# its blended pair only is read; the basis is stored, warned about and
# shown, and the estimate says it rests on blended cost
. "$LIB"
fixture dbr-rt-blended.csv
run $PA --db a.db ingest dbr-rt-blended.csv
run $PA --db a.db files
run $PA --db a.db report --format json | grep -o '"cost_basis": [^,]*'
sqlite3 a.db "SELECT format, cost_basis FROM file"
run $PA --db a.db estimate
run $PA --db a.db report | sed -n "/1. Data status/,/2. Budget/p"
