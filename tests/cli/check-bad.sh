# check: every broken input is named with file:line and what is wrong;
# the good files around it are still read; exit status 1
. "$LIB"
mkdir bad
cp "$FIXTURES"/bad/* bad/
fixture empty.gz truncated.gz trailing-garbage.gz corrupt.zip manifest-only.zip cur.csv
for f in bad/*.csv empty.gz truncated.gz trailing-garbage.gz corrupt.zip \
    manifest-only.zip missing.csv; do
	run $PA check "$f"
done
mkdir adir
run $PA check adir
run $PA check cur.csv bad/short-row.csv cur.csv
