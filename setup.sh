#!/bin/sh
# setup.sh demo | test: everything a fresh Debian 12 needs, then the
# demo (build, run the analyzer on a bundled sample) or every test.
# As root it installs what is missing with apt-get (make and a compiler
# first, then the packages the Makefile lists); otherwise it says what
# to install. The package list lives in the Makefile (DEB_BUILD,
# DEB_TEST) only.
set -eu
cd "$(dirname "$0")"
what=${1:-}
case $what in
demo|test) ;;
*) echo "usage: sh setup.sh demo|test" >&2; exit 2 ;;
esac
need=""
for p in make gcc libc6-dev; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
	    need="$need $p"
done
if [ -n "$need" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "missing Debian packages:$need" >&2
		echo "run: sudo sh setup.sh $what" >&2
		exit 1
	fi
	echo "installing:$need"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends $need
fi
if [ "$(id -u)" = 0 ]; then
	# the Debian packages must be there; libduckdb (Parquet) only if
	# the npm registry can be reached: without it Parquet is left out
	# and its tests skip
	make debian-deps
	make deps || echo "setup.sh: libduckdb could not be fetched:" \
	    "Parquet is left out (its tests skip); make deps retries" >&2
fi
exec make "$what"
