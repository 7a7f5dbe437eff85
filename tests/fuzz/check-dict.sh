#!/bin/sh
# check-dict.sh [TOP] - hold tests/fuzz/billing.dict to the code: each
# entry's value is where its name's prefix says (billing.dict explains
# the prefixes), and every column name of format.c's tables, every line
# item type and category of charge.c's and every record type format.c
# compares with is an entry. Prints one line per problem and exits 1,
# or prints what it checked.
set -u
top=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
dict=$top/tests/fuzz/billing.dict
format=$top/analyzer/format.c
charge=$top/analyzer/charge.c
bad=0 n=0
values=$(mktemp "${TMPDIR:-/tmp}/pilvi-dict.XXXXXX") || exit 1
trap 'rm -f "$values"' EXIT

complain() {
	echo "billing.dict: $*"
	bad=1
}

# a literal "v" in one of the files
literal() {
	v=$1
	shift
	grep -qF "\"$v\"" "$@"
}

# one of the '|'-separated names of a manual_names string
manual() {
	grep -qF "\"$1|" "$format" || grep -qF "|$1|" "$format" ||
	    grep -qF "|$1\"" "$format" || grep -qF "\"$1\"" "$format"
}

# entries: name="value"; comments and blank lines aside
while IFS= read -r line; do
	case $line in '' | '#'*) continue ;; esac
	name=${line%%=*}
	value=${line#*=\"}
	value=${value%\"}
	case $line in
	[a-z]_*=\"*\") ;;
	*) complain "not a named entry: $line"; continue ;;
	esac
	n=$((n + 1))
	printf '%s\n' "$value" >>"$values"
	case $name in s_*) continue ;; esac
	case $value in *\\*)
		complain "$name: escapes only in s_ entries"
		continue ;;
	esac
	case $name in
	h_*) literal "$value" "$format" ||
		complain "$name: \"$value\" is no string in format.c" ;;
	t_*) literal "$value" "$format" "$charge" ||
		complain "$name: \"$value\" is no string in format.c" \
		    "or charge.c" ;;
	w_*) literal "$value" "$charge" ||
		complain "$name: \"$value\" is no string in charge.c" ;;
	m_*) manual "$value" ||
		complain "$name: \"$value\" is no service list name in" \
		    "format.c" ;;
	*) complain "$name: unknown prefix (h_ t_ w_ m_ s_)" ;;
	esac
done <"$dict"

# the tables' names, each in the dictionary
tables=$( {
	grep -o '{ C_[A-Z_]*, "[^"]*" }' "$format" | sed 's/.*, "\(.*\)" }/\1/'
	grep -o '{ "[^"]*", CHARGE_' "$charge" | sed 's/{ "\(.*\)", .*/\1/'
	grep -o 'pv_str_eq(\(rt\|invoice\|provider\), "[^"]*")' "$format" |
	    sed 's/.*, "\(.*\)")/\1/'
} | sort -u)
m=0
nl='
'
old_ifs=$IFS
IFS=$nl
for v in $tables; do
	m=$((m + 1))
	grep -qxF "$v" "$values" ||
	    complain "\"$v\" of the code's tables is missing: add it"
done
IFS=$old_ifs
[ "$m" -gt 50 ] || complain "only $m names found in the tables:" \
    "has format.c changed shape? update check-dict.sh"
[ $bad = 0 ] || exit 1
echo "billing.dict: $n entries, every name of the tables among them"
