# the real public samples give the figures of their INDEX.md
. "$LIB"
need_samples
run $PA check samples/dbr-rt-single-account-2015-09.csv \
    samples/dbr-rt-consolidated-2014-09.csv \
    samples/XXXXXXXXXXXX-aws-billing-csv-2016-09.csv \
    samples/cost-allocation-single-account-2013-11.csv \
    samples/cur-2018-02.csv.gz samples/cur-2018-02.csv.zip \
    samples/focus-1.0-sample-2024-09.csv samples/cur2-mock-2024-09.csv.gz
run $PA --db s.db -q ingest samples/*.csv samples/*.gz samples/*.zip
run $PA --db s.db files
run $PA --db s.db report --format json
