# lib-move.sh: what move-generated and move-generated-parquet share.

# move_rules FILE: the pricing rules both price the generated months
# with: EC2 at 5 % over AWS; AWS support replaced by 10 % of the first
# 500 and 6 % above, at least 50; euros at 0.9.
move_rules() {
	cat > "$1" <<'CSV'
kind,scope,match,percent,amount,date,note
version,,movegen-1,,,,
markup,service,AmazonEC2,5,,,
support_fee,,,10,500,,
support_fee,,,6,,,
support_minimum,,,,50,,
currency,USD,EUR,,0.9,2026-10-31,
CSV
}
