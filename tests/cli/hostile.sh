# hostile inputs (issue 8): each is refused with file, line where there
# is one, and what is wrong; the database is exactly as before; no file
# is written anywhere, whatever an archive names its members
. "$LIB"
fixture cur.csv junk.bin junk-text.bin invalid-utf8.csv huge-field.csv \
    many-columns.csv traversal.zip absolute.zip nested.zip bomb.zip \
    bomb.gz bomb-rows.zip truncated.gz trailing-garbage.gz corrupt.zip
for f in empty.csv header-only.csv utf16.csv unterminated-quote.csv \
    overflow-sum.csv out-of-range.csv bad-date.csv duplicate-column.csv; do
	cp "$FIXTURES/bad/$f" .
done
run $PA --db a.db ingest cur.csv
dump a.db > before
touch marker
sleep 1
for f in empty.csv header-only.csv junk.bin junk-text.bin utf16.csv \
    invalid-utf8.csv huge-field.csv many-columns.csv \
    unterminated-quote.csv truncated.gz trailing-garbage.gz corrupt.zip \
    nested.zip bomb.zip bomb.gz bomb-rows.zip overflow-sum.csv \
    out-of-range.csv bad-date.csv duplicate-column.csv; do
	run $PA --db a.db -q ingest "$f"
done
dump a.db > after
cmp before after && echo "database unchanged"
# a lower limit, for the files a user trusts less
run $PA --max-size 10M --max-ratio 1000 --db a.db -q ingest bomb-rows.zip
run $PA --max-ratio 5 --db a.db -q ingest bomb-rows.zip
run $PA --max-size 12X --db a.db -q ingest bomb-rows.zip
# members named ../../etc/passwd or /etc/pilvi-test.csv are read in
# memory only: ingested (they are a CUR), nothing written
run $PA --db a.db -q ingest traversal.zip absolute.zip
find . -newer marker -type f ! -name 'a.db*' ! -name after ! -name '.*' |
    sort
[ -e /etc/pilvi-test.csv ] && echo "/etc/pilvi-test.csv was written!"
sqlite3 a.db "PRAGMA integrity_check; SELECT name, status FROM file"
