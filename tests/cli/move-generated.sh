# move-generated: two generated months of one payer (pilvi-gen
# --commitments) with a Reserved Instance of a linked account, a Savings
# Plan of the payer, a Marketplace subscription, a credit and Business
# support, in CUR and in CUR 2.0. Every amount below is worked out by
# hand from the generator's round constants (COMMIT_* in
# fixtures/generator.c) and compared with the report's JSON, a line
# "ok ..." or "MISMATCH ..." each: the budget under Pilvi of rules with a
# markup, a support swap and a currency (docs/pricing.md), and the move
# checklist (docs/move.md). Then the shipped 0 % rules give back the AWS
# budget exactly, on months with the generator's random usage too.
. "$LIB"
. "$(dirname "$LIB")/lib-move.sh"
G=$(dirname "$PA")/pilvi-gen

# python3 jcheck.py FILE < CHECKS: a line "ok ..." or "MISMATCH ..." per
# line "WHAT | EXPECTED | PATH" of CHECKS; PATH is the JSON value's
# members and list indexes joined by dots, NAME=VALUE picking the list
# element whose member NAME is VALUE; strings compare bare, anything
# else as JSON. One python3 for a file's checks: each costs a start.
cat > jcheck.py <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for line in sys.stdin:
    if not line.strip():
        continue
    what, want, path = (x.strip() for x in line.split("|", 2))
    v = d
    for seg in path.split("."):
        if v is None:
            break
        if "=" in seg:
            k, key = seg.split("=", 1)
            v = next((x for x in v if str(x.get(k)) == key), None)
        elif isinstance(v, list):
            v = v[int(seg)] if int(seg) < len(v) else None
        else:
            v = v.get(seg)
    got = v if isinstance(v, str) else json.dumps(v)
    if got == want:
        print("ok %s: %s" % (what, want))
    else:
        print("MISMATCH %s: expected %s, got %s (%s)" % (what, want, got, path))
PY

# The generator's accounts for seed 1 (ids are text: the second has a
# leading zero), and where each commitment belongs:
PAYER=123456789012
PROD=530853016396	# acme-prod: SP-covered c5.2xlarge, Marketplace
STAGING=080580117116	# acme-staging: owns and uses the RI
DEV=645426027458	# acme-dev: SP-covered c5.xlarge
MP=4f8x2k9m1q7w3e5r0t6y8u2ia	# the Marketplace product's code

# Rules (lib-move.sh): EC2 at 5 % over AWS; AWS support replaced by 10 %
# of the first 500 and 6 % above, at least 50; euros at 0.9.
move_rules rules.csv
# ... and the same with a minimum of 100, which the fee then is
sed 's/^support_minimum,,,,50,,$/support_minimum,,,,100,,/' rules.csv > rules-min.csv
# ... and with 20 % on what the Marketplace seller sells
{ cat rules.csv; echo 'markup,seller,Nordic Firewall Oy,20,,,'; } \
    > rules-seller.csv

# At AWS, October 2026 (31 days, 744 hours), invoiced:
#   AmazonEC2: RIFee 744 x 0.125 = 93.00; the RI's DiscountedUsage is at
#     0; the covered usage 31 x 24 x (0.40 + 0.20) = 446.40 and its
#     negation -446.40 cancel: 93.00
#   ComputeSavingsPlans: 744 x 0.50 = 372.00
#   Marketplace: subscription 250.00 + software 744 x 0.10 = 324.40
#   AWSSupportBusiness: 100.00
#   amount 93.00 + 372.00 + 324.40 + 100.00 = 889.40
#   credits -40.00, no tax: total 849.40
# At Pilvi, in EUR:
#   EC2 93.00 x 1.05 x 0.9 = 87.885, shown 87.89
#   SP 372.00 x 0.9 = 334.80; Marketplace 324.40 x 0.9 = 291.96
#   support: AWS's 100.00 out; the spend 87.885 + 334.80 + 291.96 =
#     714.645; fee 10 % x 500 + 6 % x 214.645 = 50 + 12.8787 = 62.8787,
#     above the minimum 50: 62.88
#   amount 714.645 + 62.8787 = 777.5237: 777.52
#   credits -40.00 x 0.9 = -36.00; total 777.5237 - 36.00 = 741.5237: 741.52
#   effects: support -100.00 AWS +62.88 Pilvi; markup -93.00 AWS +87.89
#   Pilvi; currency -889.40 AWS +800.46 Pilvi (889.40 x 0.9)
# With the minimum at 100: fee 100.00; amount 714.645 + 100 = 814.645,
#   half a cent, away from zero: 814.65; total 814.645 - 36 = 778.645:
#   778.65
# With 20 % on the seller's: Marketplace 324.40 x 1.2 x 0.9 = 350.352,
#   shown 350.35; spend 87.885 + 334.80 + 350.352 = 773.037; fee 50 +
#   6 % x 273.037 = 66.38222: 66.38; amount 839.41922: 839.42; total
#   839.41922 - 36 = 803.41922: 803.42
# September 2026 (30 days, 720 hours):
#   at AWS EC2 720 x 0.125 = 90.00, SP 720 x 0.50 = 360.00, Marketplace
#   250.00 + 72.00 = 322.00, support 100.00: amount 872.00
#   at Pilvi EC2 90 x 1.05 x 0.9 = 85.05, SP 324.00, Marketplace
#   289.80: spend 698.85; fee 50 + 6 % x 198.85 = 61.931: 61.93;
#   amount 760.781: 760.78; total 760.781 - 36 = 724.781: 724.78
#   the plan covered 30 x 24 x 0.60 = 432.00; the subscription, charged
#   on 2026-09-05, comes again on 2026-10-05
# The checklist, October: the RI 93.00 a month, covering 0.00 on 31
#   lines of acme-staging, which owns it and moves; the Savings Plan
#   372.00 a month, covering 446.40 on 62 lines, the payer's: it stays;
#   Marketplace 324.40, last charged on the 31st (its software's last
#   day), the subscription again on 2026-11-05 (charged on the 5th);
#   the credit -40.00 on AmazonEC2; support 100.00.
for fmt in cur cur2; do
	echo "== $fmt"
	for m in 09 10; do
		$G --format $fmt --resources 0 --commitments --month 2026-$m \
		    --invoice INV-2026-$m -o $fmt-$m.csv
	done
	run $PA --db $fmt.db -q ingest $fmt-09.csv $fmt-10.csv
	$PA --db $fmt.db report --format json --pricing rules.csv -o r.json
	echo "[exit $?]"
	b=pilvi_budget.by_payer.0
	c=move_checklist.0
	ri=$c.commitments.kind=reservation
	sp=$c.commitments.kind=savings_plan
	python3 jcheck.py r.json <<EOF
period | 2026-10 | $b.period
AWS amount | 889.40 | estimate.by_payer.0.amount
AWS amount in the budget | 889.40 | $b.aws_amount
AWS low, a final month | 889.40 | estimate.by_payer.0.low
AWS EC2 | 93.00 | estimate.by_service.service=AmazonEC2.amount
AWS Savings Plan | 372.00 | estimate.by_service.service=ComputeSavingsPlans.amount
AWS Marketplace | 324.40 | estimate.by_service.service=$MP.amount
AWS support | 100.00 | estimate.by_service.service=AWSSupportBusiness.amount
AWS credits | -40.00 | $b.aws_credits
AWS tax | 0.00 | $b.aws_tax
AWS total | 849.40 | $b.aws_total
currency | EUR | $b.currency
Pilvi EC2, 5 % on | 87.89 | $b.by_service.service=AmazonEC2.pilvi
Pilvi Savings Plan | 334.80 | $b.by_service.service=ComputeSavingsPlans.pilvi
Pilvi Marketplace | 291.96 | $b.by_service.service=$MP.pilvi
AWS support at Pilvi | 0.00 | $b.by_service.service=AWSSupportBusiness.pilvi
support is the plan | true | $b.by_service.service=AWSSupportBusiness.support_plan
Pilvi support fee | 62.88 | $b.support_fee
Pilvi amount | 777.52 | $b.amount
Pilvi low | 777.52 | $b.low
Pilvi high | 777.52 | $b.high
Pilvi credits | -36.00 | $b.credits
Pilvi tax | 0.00 | $b.tax
Pilvi total | 741.52 | $b.total
effect 1 | support plan replaced: -100.00 AWS, +62.88 Pilvi | $b.effects.0.text
effect 2 | markup 5 % on service AmazonEC2: -93.00 AWS, +87.89 Pilvi | $b.effects.1.text
effect 3 | in EUR at 0.9 per USD (rate of 2026-10-31): -889.40 AWS, +800.46 Pilvi | $b.effects.2.text
no more effects | null | $b.effects.3
checklist period | 2026-10 | $c.period
RI owner | $STAGING | $ri.owner_account
RI ARN | arn:aws:ec2:eu-west-1:$STAGING:reserved-instances/1b3ceee4-be35-8476-7023-c9e1f8eab94e | $ri.arn
RI end | 2027-03-31T23:59:59Z | $ri.end
RI fee | 93.00 | $ri.monthly_fee
RI covered | 0.00 | $ri.covered
RI covered lines | 31 | $ri.covered_lines
RI accounts | ["$STAGING"] | $ri.accounts
RI moves | true | $ri.applies_after_move
SP owner | $PAYER | $sp.owner_account
SP ARN | arn:aws:savingsplans::$PAYER:savingsplan/a4648cd9-9555-3df5-8540-1d79c788c9d9 | $sp.arn
SP end | 2028-12-31T23:59:59Z | $sp.end
SP fee | 372.00 | $sp.monthly_fee
SP covered | 446.40 | $sp.covered
SP covered lines | 62 | $sp.covered_lines
SP accounts | ["$PAYER", "$PROD", "$DEV"] | $sp.accounts
SP stays | false | $sp.applies_after_move
Marketplace seller | Nordic Firewall Oy | $c.marketplace.0.seller
Marketplace product | Nordic Firewall Pro | $c.marketplace.0.product
Marketplace amount | 324.40 | $c.marketplace.0.amount
Marketplace last charge | 2026-10-31 | $c.marketplace.0.last_charge
Marketplace next charge | 2026-11-05 | $c.marketplace.0.next_charge
one seller | null | $c.marketplace.1
credit ends | -40.00 | $c.credits_ending.service_code=AmazonEC2.amount
support plan | 100.00 | $c.support_plan.service_code=AWSSupportBusiness.amount
payer stays | false | $c.accounts.account_id=$PAYER.moves
staging moves | true | $c.accounts.account_id=$STAGING.moves
complete month | 2026-10 | $c.needs.complete_month
no day missing | [] | $c.needs.days_missing
EOF

	# the feed: a pilvi row of 777.52 and pilvi_service rows adding up
	# to it; rounded, 87.89 + 334.80 + 291.96 + 0.00 + 62.88 = 777.53,
	# a cent over (87.885 and 62.8787 both rounded up), so the largest
	# row takes the cent back: the Savings Plan's 334.79
	$PA --db $fmt.db export --format csv -o feed.csv --pricing rules.csv
	echo "[exit $?]"
	python3 - > feed.got <<'PY'
import csv
for r in csv.DictReader(open("feed.csv", newline="")):
    if r["kind"].startswith("pilvi"):
        print(r["kind"], r["service_code"] or r["service_name"] or "-",
              r["currency"], r["amount"])
PY
	cat > feed.want <<EOF
pilvi - EUR 777.52
pilvi_service Pilvi support fee EUR 62.88
pilvi_service $MP EUR 291.96
pilvi_service AWSSupportBusiness EUR 0.00
pilvi_service AmazonEC2 EUR 87.89
pilvi_service ComputeSavingsPlans EUR 334.79
EOF
	if cmp -s feed.want feed.got; then
		echo "ok feed: 777.52 in EUR, its services add up"
	else
		echo "MISMATCH feed:"
		diff feed.want feed.got
	fi

	$PA --db $fmt.db report --format json --pricing rules-min.csv -o min.json
	echo "[exit $?]"
	python3 jcheck.py min.json <<EOF
fee at the minimum | 100.00 | $b.support_fee
amount with the minimum | 814.65 | $b.amount
total with the minimum | 778.65 | $b.total
EOF

	$PA --db $fmt.db report --format json --pricing rules-seller.csv \
	    -o seller.json
	echo "[exit $?]"
	python3 jcheck.py seller.json <<EOF
Marketplace, 20 % on its seller | 350.35 | $b.by_service.service=$MP.pilvi
fee with the seller's markup | 66.38 | $b.support_fee
amount with the seller's markup | 839.42 | $b.amount
total with the seller's markup | 803.42 | $b.total
EOF

	$PA --db $fmt.db report --format json --pricing rules.csv \
	    --month 2026-09 -o sep.json
	echo "[exit $?]"
	python3 jcheck.py sep.json <<EOF
September at AWS | 872.00 | $b.aws_amount
September EC2 | 85.05 | $b.by_service.service=AmazonEC2.pilvi
September support fee | 61.93 | $b.support_fee
September amount | 760.78 | $b.amount
September total | 724.78 | $b.total
September SP covered | 432.00 | $sp.covered
September next charge | 2026-10-05 | $c.marketplace.0.next_charge
EOF
done

# A partial October, 12 days, whose support fee AWS has not posted yet:
# September's 100.00 is expected again (a plan is charged every month),
# and every day is alike, so the budget is the whole month's: usage
# 12 x 2.40 = 28.80 seen and 19 x 2.40 = 45.60 projected, the plan's fee
# 31 x 12.00 = 372.00 at the last day's rate, the RI fee 93.00, the
# subscription 250.00 (on the 5th) and support 100.00: 889.40 at AWS,
# 777.52 at Pilvi with its 62.88 support fee, as above
echo "== partial"
$G --format cur2 --resources 0 --commitments --month 2026-10 --days 12 |
    grep -v AWSSupportBusiness > oct12.csv
run $PA --db p.db -q ingest cur2-09.csv oct12.csv
$PA --db p.db report --format json --pricing rules.csv -o p.json
echo "[exit $?]"
python3 jcheck.py p.json <<EOF
estimated | estimated | estimate.by_payer.0.status
support expected again | 100.00 | estimate.by_payer.0.fees_expected
one-time, the subscription | 250.00 | estimate.by_payer.0.one_time
AWS amount | 889.40 | pilvi_budget.by_payer.0.aws_amount
AWS support | 100.00 | estimate.by_service.service=AWSSupportBusiness.amount
Pilvi support fee | 62.88 | pilvi_budget.by_payer.0.support_fee
Pilvi amount | 777.52 | pilvi_budget.by_payer.0.amount
effect 1 | support plan replaced: -100.00 AWS, +62.88 Pilvi | pilvi_budget.by_payer.0.effects.0.text
EOF

# the report's section 5 says the same (the CUR 2.0 months)
run $PA --db cur2.db report --format markdown -o r.md
sed -n '/^## 5. Before the move/,$p' r.md
# ... and the reply to the customer: the budget under Pilvi (777.52 EUR
# against 889.40 USD), the plan that stays behind, the subscription, the
# credit and the support plan to give up
run $PA --db cur2.db report --format email --pricing rules.csv

# 0 % (the shipped rules): Pilvi = AWS to the cent, in total, per
# service, the range and the parts apart, with no effect, on a final
# month of the random model with the commitments and on a partial one
# the estimate projects
echo "== 0 %"
$G --format cur2 --scenario office --resources 8 --commitments \
    --month 2026-09 --invoice INV-2026-09 -o full-09.csv
$G --format cur2 --scenario office --resources 8 --commitments \
    --month 2026-10 --days 12 -o full-10.csv
run $PA --db z.db -q ingest full-09.csv full-10.csv
for month in 2026-09 2026-10; do
	$PA --db z.db report --format json --month $month \
	    --pricing "$FIXTURES/../schema/pricing-rules.csv" -o z.json
	echo "[exit $?]"
	python3 - $month <<'PY'
import json, sys
d = json.load(open("z.json"))
e = d["estimate"]["by_payer"][0]
b = d["pilvi_budget"]["by_payer"][0]
print("month", sys.argv[1], e["status"], "version", d["pilvi_budget"]["version"])
def same(what, aws, pilvi):
    if aws == pilvi:
        print("ok %s: %s" % (what, aws))
    else:
        print("MISMATCH %s: AWS %s, Pilvi %s" % (what, aws, pilvi))
same("amount", e["amount"], b["amount"])
same("budget's AWS amount", e["amount"], b["aws_amount"])
same("low", e["low"], b["low"])
same("high", e["high"], b["high"])
same("credits", e["credits"], b["credits"])
same("tax", e["tax"], b["tax"])
same("total", b["aws_total"], b["total"])
same("currency", e["currency"], b["currency"])
same("support fee", "0.00", b["support_fee"])
same("effects", [], b["effects"])
svc = {s["service"]: s["amount"] for s in d["estimate"]["by_service"]}
same("services", sorted(svc), sorted(s["service"] for s in b["by_service"]))
for s in b["by_service"]:
    same("service " + s["service"], svc.get(s["service"]), s["aws"])
    same("service " + s["service"] + " at Pilvi", s["aws"], s["pilvi"])
PY
done
# in the partial October the plan's fee goes on at the last day's rate,
# 31 x 12.00, whatever the usage model makes of the usage around it
python3 jcheck.py z.json <<EOF
Savings Plan in October | 372.00 | estimate.by_service.service=ComputeSavingsPlans.amount
Savings Plan at Pilvi | 372.00 | pilvi_budget.by_payer.0.by_service.service=ComputeSavingsPlans.pilvi
EOF

# A hand-made list of the accounts that move, without acme-staging: the
# RI's owner stays behind now, and the RI with it; the list's accounts
# move, the payer still stays
echo "== a list"
printf 'account,service,monthly_cost\n%s,Amazon EC2,0\n%s,Amazon EC2,0\n' \
    $PROD $DEV > moving.csv
run $PA --db l.db -q ingest cur2-09.csv cur2-10.csv moving.csv
$PA --db l.db report --format json -o l.json
echo "[exit $?]"
python3 jcheck.py l.json <<EOF
RI owner | $STAGING | move_checklist.0.commitments.kind=reservation.owner_account
RI stays with it | false | move_checklist.0.commitments.kind=reservation.applies_after_move
SP stays | false | move_checklist.0.commitments.kind=savings_plan.applies_after_move
staging not listed | false | move_checklist.0.accounts.account_id=$STAGING.listed
staging stays | false | move_checklist.0.accounts.account_id=$STAGING.moves
prod listed | true | move_checklist.0.accounts.account_id=$PROD.listed
prod moves | true | move_checklist.0.accounts.account_id=$PROD.moves
dev moves | true | move_checklist.0.accounts.account_id=$DEV.moves
payer stays | false | move_checklist.0.accounts.account_id=$PAYER.moves
EOF

# what the option refuses: a DBR, which names no commitment, and a month
# of nothing
run $G --format dbr-rt --commitments -o dbr.csv
run $G --format cur --resources 0 -o none.csv
