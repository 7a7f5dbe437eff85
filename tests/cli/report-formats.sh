# one report model, many writers: text, markdown and json byte for byte,
# the HTML well-formed, self-contained and escaping a hostile name; and
# every format says the same totals (JSON exact, the others to the cent)
. "$LIB"
fixture cur.csv hostile-names.csv
cp "$FIXTURES"/demo/*.csv demo.csv
$PA --db a.db -q ingest demo.csv cur.csv hostile-names.csv
run $PA --db a.db report --customer "Acme <Oy>" -o report.txt
run $PA --db a.db report --customer "Acme <Oy>" --format markdown -o report.md
run $PA --db a.db report --customer "Acme <Oy>" --format json -o report.json
run $PA --db a.db report --customer "Acme <Oy>" --format html -o report.html
$PA --db a.db export --format csv -o feed.csv
cat report.txt report.md
echo "--- html"
python3 - report.html <<'PY'
import sys
from html.parser import HTMLParser
text = open(sys.argv[1], encoding="utf-8").read()
void = {"meta", "br", "hr", "img", "input", "link", "col", "wbr"}
class P(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.bad = [], []
    def handle_starttag(self, tag, attrs):
        if tag not in void:
            self.stack.append(tag)
    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.bad.append(tag)
        else:
            self.stack.pop()
p = P()
p.feed(text)
print("balanced" if not p.stack and not p.bad else "unbalanced %s %s" % (p.stack, p.bad))
print("self-contained" if "http" not in text and "<link" not in text and "<script" not in text.lower() else "external reference or script")
print("svg charts: %d" % text.count("<svg"))
print("escaped script name" if "&lt;script&gt;" in text else "script name NOT escaped")
print("escaped customer" if "Acme &lt;Oy&gt;" in text else "customer NOT escaped")
# a legend names what its chart draws, no more (Route 53's only charge is
# month-long: no bar); a month without daily detail has a sentence
import re
for lg in re.findall(r'<ul class="lg">(.*?)</ul>', text):
    print("legend:", ", ".join(re.sub(r"<[^>]*>", "", li)
                               for li in re.findall(r"<li>(.*?)</li>", lg)))
print("without daily detail:", text.count("No daily charts: "))
PY
echo "--- the same totals everywhere"
# JSON holds the exact sums; the reports show them to the cent
for want in 9.89084532:9.89 163.4970000181:163.50 0.910000:0.91; do
	grep -q -- "\"${want%%:*}\"" report.json ||
	    echo "report.json lacks ${want%%:*}"
	for f in report.txt report.md report.html; do
		grep -Eq -- "(^|[^0-9])${want#*:}([^0-9]|\$)" "$f" ||
		    echo "$f lacks ${want#*:}"
	done
done
amount=$(sed -n 's/^  "estimate": {.*"amount": "\([0-9.]*\)".*/\1/p' report.json)
for f in report.txt report.md report.html; do
	grep -q -- "$amount" "$f" || echo "$f lacks the estimate $amount"
done
awk -F, 'NR > 1 && $2 == "\"actual\"" && $5 == "\"123456789012\"" { s += $18 } END { printf "csv sum for 123456789012: %.2f\n", s }' feed.csv
echo "estimate $amount in every report"
