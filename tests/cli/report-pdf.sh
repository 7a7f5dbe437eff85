# the HTML report prints: headless Chromium (Debian's chromium) renders
# the report of the bundled sample and two fixtures to PDF without
# error, offline. Chromium is a big package and is not among the test
# packages the Makefile installs (DEB_TEST), so this case is skipped
# (exit 77) where `chromium` is not on the PATH.
. "$LIB"
command -v chromium >/dev/null 2>&1 || exit 77
fixture cur.csv hostile-names.csv
cp "$FIXTURES"/demo/*.csv demo.csv
$PA --db a.db -q ingest demo.csv cur.csv hostile-names.csv
run $PA --db a.db report --customer "Demo Oy" --format html -o report.html
# no sandbox: the tests may run as root; no network, no profile of ours
timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic \
    --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$PWD/profile" \
    --no-pdf-header-footer --print-to-pdf="$PWD/report.pdf" \
    "file://$PWD/report.html" >chromium.log 2>&1
echo "chromium exit $?"
head -c 5 report.pdf; echo
# the page tree's root counts every page: the largest /Count
pages=$(grep -a -o '/Count [0-9]*' report.pdf | sed 's/.* //' | sort -n |
    tail -n 1)
[ "${pages:-0}" -ge 2 ] && echo "pdf of more than one page" ||
    echo "pdf pages: ${pages:-none}"
