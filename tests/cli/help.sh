. "$LIB"
run $PA --help
run $PA ingest --help
run $PA report --help
run $PA --version
run $PA
run $PA frobnicate
run $PA ingest
run $PA check
run $PA report --format xml
run $PA report --month 2026-13
run $PA files extra
run $PA --bogus files
run $PA export --help
