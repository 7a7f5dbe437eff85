# key figures first, the same in every format (issue 14, items 3 and 5):
# text, Markdown and HTML carry the same figures, word for word, and the
# estimate and its range are JSON's to the cent
. "$LIB"
G=$(dirname "$PA")/pilvi-gen
$G --format cur --scenario office --month 2026-09 --resources 6 --accounts 1 -o sep.csv
$G --format cur --scenario office --month 2026-10 --resources 6 --accounts 1 --days 12 -o oct12.csv
fixture cur.csv
cat > catalog.csv <<'CSV'
service_code,status,note
EC2,supported,
AWS Lambda,supported,
Amazon S3,unsupported,archive tier only
CSV
$PA --db a.db -q ingest sep.csv oct12.csv cur.csv
for f in text markdown html json; do
	$PA --db a.db report --catalog catalog.csv --format $f -o report.$f
done
python3 - <<'PY'
import html, json, re, sys

def text_figures(s):
    block = s.split("Key figures\n-----------\n\n", 1)[1].split("\n\n", 1)[0]
    rows = []
    for line in block.split("\n"):
        if len(line) > 80:
            print("text figure line over 80 columns:", line)
        if line.startswith("  ") and not line.startswith("   "):
            rows.append(re.split(r"\s{2,}", line.strip(), maxsplit=2))
        else:
            rows[-1][2] += " " + line.strip()
    return [tuple(r) for r in rows]

def md_figures(s):
    block = s.split("## Key figures\n\n", 1)[1].split("\n\n", 1)[0]
    unesc = lambda c: re.sub(r"\\(.)", r"\1", c.strip())
    return [tuple(unesc(c) for c in line.strip("|").split(" | "))
            for line in block.split("\n")[2:]]

def html_figures(s):
    return [tuple(html.unescape(x) for x in m) for m in re.findall(
        r'<div class="l">(.*?)</div><div class="v">(.*?)</div>'
        r'<div class="d">(.*?)</div>', s)]

got = {f: g(open("report." + f, encoding="utf-8").read()) for f, g in
       (("text", text_figures), ("markdown", md_figures),
        ("html", html_figures))}
for fig in got["text"]:
    print(" | ".join(fig))
same = all(got[f] == got["text"] for f in got)
print("the same key figures in text, markdown and html" if same else
      "key figures differ: %r" % got)
e = json.load(open("report.json"))["estimate"]
money = lambda x: "{:,.2f}".format(float(x))
est = dict((f[0], f) for f in got["text"])["Budget estimate"]
ok = est[1] == money(e["amount"]) + " " + e["currency"] and \
    "range %s to %s" % (money(e["low"]), money(e["high"])) in est[2] and \
    "confidence " + e["confidence"] in est[2]
print("estimate, range and confidence as in the JSON" if ok else
      "estimate differs from the JSON: %r %r" % (est, e))
PY
