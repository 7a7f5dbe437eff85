# the man page renders without a groff warning, says % as %, and names
# every option the commands take (issue 17)
. "$LIB"
command -v groff >/dev/null || exit 77
page=$(dirname "$LIB")/../../man/pilvi-analyzer.1
groff -man -Tutf8 -ww -z "$page" 2>&1
echo "warnings above: $(groff -man -Tutf8 -ww -z "$page" 2>&1 | wc -l)"
groff -man -Tutf8 "$page" 2>/dev/null | sed 's/.\x08//g' > page.txt
grep -c "80%" page.txt
grep -c "·" page.txt
for o in --db --quiet --verbose --format --output --payer --month \
    --account --catalog --threshold --backtest --customer --customer-id \
    --dry-run --wait --settle --max-size --max-ratio; do
	grep -q -- "$o" page.txt || echo "missing: $o"
done
echo done
