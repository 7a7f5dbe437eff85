# report FILE... without --db: a memory database, nothing written
. "$LIB"
fixture dbr-rt-single.csv.gz
run $PA report dbr-rt-single.csv.gz
ls
run $PA report -o out.json --format json dbr-rt-single.csv.gz
stat -c '%a %n' out.json
head -c 1 out.json; echo
