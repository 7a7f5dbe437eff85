#!/bin/sh
# fetch-duckdb.sh DIR URL SHA512 [--optional]
#
# Put libduckdb.so (and its licence) into DIR, from DuckDB's official
# Linux x86-64 build as the npm registry carries it in the package
# @duckdb/node-bindings-linux-x64 (the tarball holds package/libduckdb.so,
# package/duckdb.node and package/LICENSE; only the library and the
# licence are kept). SHA512 is the package's npm "dist.integrity" without
# its "sha512-" prefix (base64): the download is refused unless it
# matches, so a pinned version is the same bytes everywhere.
#
# pilvi-analyzer loads the library at run time (analyzer/duck.h) and
# needs it only for Parquet. With --optional a failed download is a
# warning (Parquet tests then skip) instead of an error; a checksum
# mismatch is always an error.
set -eu
dir=$1 url=$2 want=$3 optional=${4:-}

if [ -f "$dir/libduckdb.so" ] && [ -f "$dir/libduckdb.sha512" ] &&
    [ "$(cat "$dir/libduckdb.sha512")" = "$want" ]; then
	exit 0
fi

fail() {
	if [ "$optional" = --optional ]; then
		echo "warning: $*; Parquet support and its tests are left" \
		    "out (run 'make deps' to retry)" >&2
		exit 0
	fi
	echo "error: $*" >&2
	exit 1
}

case $(uname -m) in
x86_64 | amd64) ;;
*) fail "libduckdb is fetched for Linux x86-64 only; on $(uname -m)" \
    "set PILVI_DUCKDB=/path/to/libduckdb.so" ;;
esac
command -v curl >/dev/null 2>&1 || fail "curl is missing"

mkdir -p "$dir"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pilvi-duckdb.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
echo "fetching libduckdb: $url"
curl -fsSL --retry 3 --connect-timeout 20 -o "$tmp/pkg.tgz" "$url" ||
    fail "cannot download $url"

# npm's integrity is base64; compare it in hex, with coreutils only
got=$(sha512sum "$tmp/pkg.tgz" | cut -d' ' -f1)
pinned=$(printf '%s' "$want" | base64 -d | od -An -v -tx1 | tr -d ' \n')
if [ "$got" != "$pinned" ]; then
	echo "error: $url: sha512 $got, expected $pinned (the pinned" \
	    "sha512-$want); not installed" >&2
	exit 1
fi

tar -xzf "$tmp/pkg.tgz" -C "$tmp" package/libduckdb.so package/LICENSE
mv "$tmp/package/LICENSE" "$dir/libduckdb.LICENSE"
chmod 0644 "$tmp/package/libduckdb.so"
mv "$tmp/package/libduckdb.so" "$dir/libduckdb.so"
printf '%s\n' "$want" > "$dir/libduckdb.sha512"
echo "installed $dir/libduckdb.so"
