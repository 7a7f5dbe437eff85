# a workbook is checked before it replaces anything (issue 18): with
# TMPDIR on a full disk the export still writes a whole workbook (its
# temporary parts live beside the output); with the output's own disk
# full it fails with exit 3, the old file kept, nothing left behind.
# Needs a private tmpfs mount (unshare -m as root): skipped without.
. "$LIB"
unshare -m true 2>/dev/null || exit 77
cp "$FIXTURES/cur.csv" .
$PA --db x.db ingest cur.csv >/dev/null 2>&1
mkdir full
cat > inside.sh <<'INNER'
mount -t tmpfs -o size=64k tmpfs full || exit 77
dd if=/dev/zero of=full/fill bs=1k count=64 2>/dev/null
echo old > old.xlsx
TMPDIR=$(pwd)/full $PA --db x.db export --format xlsx -o old.xlsx
echo "TMPDIR full: exit $?"
unzip -tq old.xlsx
unzip -l old.xlsx | awk '$4 ~ /\.xml$/ { n++; if ($1 == 0) e++ }
    END { printf "%d parts, %d empty\n", n, e }'
rm full/fill
echo old > full/old.xlsx
dd if=/dev/zero of=full/fill bs=1k count=60 2>/dev/null
$PA --db x.db export --format xlsx -o full/old.xlsx 2>/dev/null
echo "output disk full: exit $?"
cat full/old.xlsx
ls full
INNER
unshare -m sh inside.sh
