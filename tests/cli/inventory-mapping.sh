# one service identity whatever the format names it by: DBR ProductName,
# monthly ProductCode, CUR and CUR 2.0 product codes, FOCUS ServiceName
. "$LIB"
fixture dbr.csv monthly-consolidated.csv cur.csv cur2.csv focus.csv
run $PA --db a.db -q ingest dbr.csv monthly-consolidated.csv cur.csv cur2.csv focus.csv
run $PA --db a.db inventory
sqlite3 a.db "SELECT s.code, s.name, si.code, si.unknown FROM service s JOIN service_identity si ON si.service = s.id ORDER BY s.id"
