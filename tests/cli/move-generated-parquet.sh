# move-generated-parquet: the generated months of move-generated
# (pilvi-gen --commitments) as Parquet, as AWS delivers them (legacy CUR
# in Athena's layout with DECIMAL amounts, CUR 2.0 with DOUBLE ones):
# the same move checklist and budget under Pilvi as from their CSVs,
# reservation and Savings Plan ARNs, ends, the seller and the amounts
. "$LIB"
. "$(dirname "$LIB")/lib-parquet.sh"
. "$(dirname "$LIB")/lib-move.sh"
need_duckdb
G=$(dirname "$PA")/pilvi-gen
move_rules rules.csv

# move DB: the report JSON's move checklist and budget under Pilvi (its
# last members)
move() {
	$PA --db "$1" report --format json --pricing rules.csv |
	    sed -n '/"move_checklist"/,$p'
}

for fmt in cur cur2; do
	opt=
	[ $fmt = cur ] && opt="--athena --decimal"
	for m in 09 10; do
		$G --format $fmt --resources 0 --commitments --month 2026-$m \
		    --invoice INV-2026-$m -o $fmt-$m.csv
		$C2P $opt $fmt-$m.csv $fmt-$m.parquet
	done
	rm -f csv.db pq.db
	run $PA --db csv.db -q ingest $fmt-09.csv $fmt-10.csv
	run $PA --db pq.db -q ingest $fmt-09.parquet $fmt-10.parquet
	move csv.db > csv.out
	move pq.db > pq.out
	if cmp -s csv.out pq.out; then
		echo "$fmt: the same checklist and budget under Pilvi"
	else
		echo "$fmt: DIFFERENT"
		diff csv.out pq.out | head -20
	fi
	# what they say (move-generated works the figures out)
	grep -E '"(kind|owner_account|end|monthly_fee|seller|amount)"' pq.out
done
