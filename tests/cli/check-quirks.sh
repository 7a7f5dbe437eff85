# check: CSV quirks and every container, including stdin
. "$LIB"
fixture bom-crlf.csv quoted-newline.csv excel-ids.csv cur.csv.gz dbr.csv.zip \
    cur-two-parts.zip cur-with-manifest.zip cur.tar.gz dbr-rt-single.csv.gz
run $PA check bom-crlf.csv quoted-newline.csv excel-ids.csv
run $PA check cur.csv.gz dbr.csv.zip cur-two-parts.zip cur-with-manifest.zip \
    cur.tar.gz
cat dbr-rt-single.csv.gz | $PA check -
echo "[exit $?]"
