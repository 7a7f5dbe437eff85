# without libduckdb a Parquet file is refused, saying how to add it, and
# the other files go on (issue 15); a library that is not DuckDB's is
# refused by name
. "$LIB"
fixture cur2.csv
# the magic number is all it takes to be told Parquet
printf 'PAR1 not really\nPAR1' > export-00001.snappy.parquet
PILVI_DUCKDB=/nonexistent/libduckdb.so run $PA --db a.db ingest \
    export-00001.snappy.parquet cur2.csv
echo "== a shared library that is not libduckdb"
z=$(ls /usr/lib/x86_64-linux-gnu/libz.so.1 /lib/x86_64-linux-gnu/libz.so.1 \
    2>/dev/null | head -n 1)
PILVI_DUCKDB=$z run $PA check export-00001.snappy.parquet 2>&1 |
    sed "s|$z|LIBZ|"
