# billing files that arrive by e-mail: an .eml with two attachments, one
# with a zipped attachment and a PDF beside it, a Maildir message, a
# message with no billing file; sender, subject, Message-ID and date are
# kept with each file
. "$LIB"
mkdir -p in/new
b64() { base64 -w 76 "$1"; }
message() {	# FILE SUBJECT ID ATTACHMENT...
	out=$1 subject=$2 id=$3
	shift 3
	{
		printf 'From: Billing Bot <billing@customer.example>\n'
		printf 'To: support@pilvi.example\n'
		printf 'Subject: %s\n' "$subject"
		printf 'Message-ID: <%s@customer.example>\n' "$id"
		printf 'Date: Thu, 26 Nov 2026 10:15:00 +0200\n'
		printf 'MIME-Version: 1.0\n'
		printf 'Content-Type: multipart/mixed; boundary="XXbound"\n\n'
		printf -- '--XXbound\nContent-Type: text/plain; charset=utf-8\n\n'
		printf 'Our AWS bills attached.\n\n'
		for a in "$@"; do
			printf -- '--XXbound\n'
			printf 'Content-Type: application/octet-stream; name="%s"\n' "$(basename "$a")"
			printf 'Content-Disposition: attachment; filename="%s"\n' "$(basename "$a")"
			printf 'Content-Transfer-Encoding: base64\n\n'
			b64 "$a"
			printf '\n'
		done
		printf -- '--XXbound--\n'
	} > "$out"
}
cp "$FIXTURES/cur.csv" "$FIXTURES/focus.csv" "$BUILT/dbr.csv.zip" .
printf '%%PDF-1.4 not really\n' > invoice.pdf
message in/two.eml "October bills" two-1 cur.csv focus.csv
message in/zipped.eml "DBR" zipped-1 dbr.csv.zip invoice.pdf
message in/new/1790000000.M1P1.host "Monthly" maildir-1 "$FIXTURES/cur2.csv"
message in/nothing.eml "Only a PDF" nothing-1 invoice.pdf
touch -d '2 hours ago' in/*.eml in/new/*
run $PA --db a.db drop in
find in -type f | grep -v '\.lock$' | grep -v reports/ | sort
cat in/failed/*.error
sqlite3 a.db "SELECT name, format, mail_from, mail_subject, mail_message_id, mail_date FROM file ORDER BY id"
run $PA --db a.db -q drop in
echo "--- a Maildir message just delivered: read at once (new/ holds whole"
echo "--- messages only), then the first e-mail sent again: nothing new"
message in/new/1790000100.M2P1.host "Monthly again" maildir-2 "$FIXTURES/dbr-rt-single.csv"
message in/again.eml "October bills (resent)" two-2 cur.csv focus.csv
touch -d '2 hours ago' in/again.eml
run $PA --db a.db drop in
ls in/cur
echo "--- files --format json names the e-mail each file came in"
$PA --db a.db files --format json | grep '"mail_from"' | sort | uniq -c
echo "--- and the files table says whom from, with the subject"
$PA --db a.db files
