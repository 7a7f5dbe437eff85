# move-checklist: the report JSON's move_checklist of two months with a
# Reserved Instance a linked account owns, a Savings Plan the payer owns,
# a Marketplace subscription, a credit, a support plan and VAT, and a
# hand-made list of the accounts that move (expected values worked out
# in tests/unit/test_checklist.c); --month picks the month it reads
. "$LIB"
cp "$FIXTURES/move-cur-2026-08.csv" "$FIXTURES/move-cur-2026-09.csv" \
    "$FIXTURES/move-accounts.csv" .
run $PA --db m.db ingest move-cur-2026-08.csv move-cur-2026-09.csv \
    move-accounts.csv
run $PA --db m.db report --format json -o r.json
sed -n '/"move_checklist"/,/^  \]/p' r.json
run $PA --db m.db report --format json --month 2026-08 -o a.json
sed -n '/"move_checklist"/,/^  \]/p' a.json
# the report's section 5 says the same
run $PA --db m.db report --format markdown -o r.md
sed -n '/^## 5. Before the move/,$p' r.md
