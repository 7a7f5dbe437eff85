# the HTML report's charts on the real samples: each daily chart draws
# its largest services apart (by the usage its bars show) and names in
# its legend only what it draws; a month without daily detail (the
# monthly reports) gets a sentence instead of empty charts; and a month
# all invoiced has no range to show
. "$LIB"
need_samples
$PA --db s.db -q ingest samples/*.csv samples/*.gz samples/*.zip
$PA --db s.db report --format html -o report.html
python3 - report.html <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
for payer, body in re.findall(r'<h3 id="estimate-\d+">Payer ([^<]*)</h3>(.*?)(?=<h[23])',
                              text, re.S):
    print(payer)
    for title, lg in re.findall(r'<div class="ct">([^<]*)</div>.*?<ul class="lg">(.*?)</ul>',
                                body, re.S):
        print("  %s: %s" % (title, ", ".join(re.sub(r"<[^>]*>", "", li)
              for li in re.findall(r"<li>(.*?)</li>", lg))))
    for p in re.findall(r'<p class="muted">(No daily charts: [^<]*)</p>', body):
        print("  " + p)
PY
$PA --db s.db report | grep '^  All payers'
