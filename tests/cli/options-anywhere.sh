# options anywhere after the command, as git and ripgrep take them; --
# ends them; a missing value or an option the command does not take is
# said, pointing to the command's own help; a command that only reads
# never makes a database (issue 17)
. "$LIB"
cp "$FIXTURES/cur.csv" .
run $PA report cur.csv --format json -o r.json 2>/dev/null
head -c 1 r.json; echo
run $PA --db a.db ingest cur.csv -q
run $PA files --db a.db
run $PA --db a.db report --format
run $PA --db a.db report --customer-id C-1
run $PA --format json report
run $PA --db a.db export -o - 
run $PA --db a.db files --format json | head -3
run $PA --db a.db files --format csv
# -- ends the options: a file named like one
cp cur.csv ./--quiet
run $PA --db b.db ingest -- --quiet
# reading commands and a database that is not there
for c in files report inventory estimate; do
	run $PA --db typo.db $c
done
run $PA --db typo.db export --format csv -o out.csv
ls typo.db out.csv 2>&1
