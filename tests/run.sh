#!/bin/sh
# run.sh BUILD - run every test: the unit-test binaries in BUILD/tests,
# then the CLI cases in tests/cli. Ends with one summary line for the
# whole suite: "N passed, N failed, N skipped".
#
# A CLI case is tests/cli/NAME.sh, run by sh in a fresh temporary
# directory with LC_ALL=C TZ=UTC and a fixed SOURCE_DATE_EPOCH; its
# stdout, stderr and exit status must equal NAME.stdout, NAME.stderr and
# NAME.exit byte for byte. UPDATE=1 rewrites those files. A case that
# exits 77 is skipped (e.g. ../shared/samples is absent); an exit status
# above 128 is a crash and always fails. ONLY=NAME (a shell pattern)
# runs just the CLI cases whose name matches it, and no unit tests, so
# UPDATE=1 ONLY=NAME rewrites one case's expected files. VALGRIND=1 runs every
# pilvi-analyzer of the CLI cases under valgrind's memcheck, which exits
# 99 (a failed case) on any error or definite leak.
set -u
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
case $build in /*) ;; *) build=$top/$build ;; esac
pass=0 fail=0 skip=0

only=${ONLY:-}
for t in "$build"/tests/test_*; do
	[ -x "$t" ] || continue
	[ -n "$only" ] && continue
	name=$(basename "$t")
	out=$( (cd "$top" && BUILT_FIXTURES="$build/fixtures" "$t") \
	    2>"$build/tests/$name.stderr")
	rc=$?
	line=$(printf '%s\n' "$out" | grep '^RESULT ' | tail -n 1)
	if [ -z "$line" ] || [ $rc -gt 128 ]; then
		echo "FAIL unit $name (exit $rc, no result)"
		cat "$build/tests/$name.stderr"
		fail=$((fail + 1))
		continue
	fi
	p=$(echo "$line" | sed 's/.*pass=\([0-9]*\).*/\1/')
	f=$(echo "$line" | sed 's/.*fail=\([0-9]*\).*/\1/')
	s=$(echo "$line" | sed 's/.*skip=\([0-9]*\).*/\1/')
	pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
	if [ "$f" -ne 0 ]; then
		echo "FAIL unit $name: $f failed"
		cat "$build/tests/$name.stderr"
	fi
done

pa=$build/pilvi-analyzer
if [ "${VALGRIND:-}" = 1 ]; then
	vg=$(mktemp -d "${TMPDIR:-/tmp}/pilvi-vg.XXXXXX")
	printf '#!/bin/sh\nexec valgrind -q --error-exitcode=99 %s %s "$@"\n' \
	    "--leak-check=full --errors-for-leak-kinds=definite" \
	    "$build/pilvi-analyzer" > "$vg/pilvi-analyzer"
	chmod +x "$vg/pilvi-analyzer"
	# the tools the cases find beside pilvi-analyzer ($(dirname "$PA"))
	ln -s "$build/pilvi-gen" "$build/mkarchive" "$build/pilvi-corpus" \
	    "$build/pilvi-backtest" "$build/csv2parquet" "$build/duckq" "$vg/"
	pa=$vg/pilvi-analyzer
fi

samples=${PILVI_SAMPLES:-$top/../shared/samples}
[ -d "$samples" ] && samples=$(cd "$samples" && pwd) || samples=
for c in "$top"/tests/cli/*.sh; do
	[ -f "$c" ] || continue
	case $(basename "$c") in lib.sh | lib-*.sh) continue ;; esac
	name=$(basename "$c" .sh)
	# shellcheck disable=SC2254
	case $name in ${only:-*}) ;; *) continue ;; esac
	dir=$(mktemp -d "${TMPDIR:-/tmp}/pilvi-cli.XXXXXX")
	(cd "$dir" && env LC_ALL=C TZ=UTC SOURCE_DATE_EPOCH=1790000000 \
	    NO_COLOR=1 PILVI_DB= PA="$pa" \
	    FIXTURES="$top/fixtures" BUILT="$build/fixtures" \
	    SAMPLES="$samples" LIB="$top/tests/cli/lib.sh" \
	    sh "$c" >"$dir/.stdout" 2>"$dir/.stderr" </dev/null)
	rc=$?
	if [ $rc -eq 77 ]; then
		skip=$((skip + 1))
		rm -rf "$dir"
		continue
	fi
	echo $rc >"$dir/.exit"
	if [ "${UPDATE:-}" = 1 ] && [ $rc -le 128 ]; then
		cp "$dir/.stdout" "$top/tests/cli/$name.stdout"
		cp "$dir/.stderr" "$top/tests/cli/$name.stderr"
		cp "$dir/.exit" "$top/tests/cli/$name.exit"
	fi
	ok=1
	[ $rc -gt 128 ] && ok=0
	for k in stdout stderr exit; do
		if ! cmp -s "$dir/.$k" "$top/tests/cli/$name.$k"; then
			ok=0
			echo "FAIL cli $name: $k differs"
			diff "$top/tests/cli/$name.$k" "$dir/.$k" 2>&1 | head -20
		fi
	done
	if [ $ok = 1 ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
	fi
	rm -rf "$dir"
done

if [ $skip -gt 0 ] && [ -z "$samples" ]; then
	echo "note: the skipped tests need the public billing samples" \
	    "(../shared/samples next to this folder, or PILVI_SAMPLES=DIR" \
	    "make test); the others ran"
elif [ $skip -gt 0 ]; then
	echo "note: the skipped tests need a tool this machine lacks" \
	    "(chromium, libduckdb, unshare, strace: see each test's first" \
	    "lines)"
fi
echo "$pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
