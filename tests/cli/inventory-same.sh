# the same customer as a DBR and as a hand-made list: the same services;
# both in one database: the list does not add to the bill
. "$LIB"
fixture services.csv
cp "$FIXTURES"/demo/*.csv demo.csv
services() {	# DB: account and service code of each inventory line
	$PA --db "$1" report --format json |
	    sed -n 's/.*"account": "\([0-9]*\)", "account_name": .*"period": "[0-9-]*",$/\1/p;
	        s/.*"service_code": "\([^"]*\)", "known_service".*/\1/p' |
	    paste - - | sort
}
$PA --db bill.db -q ingest demo.csv
$PA --db list.db -q ingest services.csv
services bill.db > from-bill
services list.db > from-list
cat from-bill
diff from-bill from-list && echo "same services"
$PA --db both.db -q ingest demo.csv services.csv
run $PA --db both.db inventory
