#!/bin/sh
# fresh-debian.sh [ROOT]: the README's two commands on a truly fresh
# machine. Makes a minimal Debian 12 (debootstrap --variant=minbase
# bookworm) in ROOT (default build/fresh-root; kept and reused, so a
# second run skips the download: delete it for a new one), copies the
# project's committed files into it, and runs, in a chroot, as root,
# with nothing else installed:
#     sh setup.sh demo
#     sh setup.sh test
# The mirror is the one this machine's apt sources name. Needs root,
# debootstrap and the network to that mirror.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
root=${1:-$top/build/fresh-root}
mirror=$(sed -n 's/^URIs: *//p; s/^deb  *\(http[^ ]*\) .*/\1/p' \
    /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null |
    grep -v security | head -n 1)
mirror=${mirror:-http://deb.debian.org/debian}
[ "$(id -u)" = 0 ] || { echo "fresh-debian.sh: run as root" >&2; exit 2; }
command -v debootstrap >/dev/null ||
    { echo "fresh-debian.sh: needs debootstrap (apt-get install" \
    "debootstrap)" >&2; exit 2; }
if [ ! -x "$root/bin/sh" ]; then
	rm -rf "$root.tmp"
	debootstrap --variant=minbase bookworm "$root.tmp" "$mirror" >&2
	mv "$root.tmp" "$root"
fi
cp /etc/resolv.conf "$root/etc/resolv.conf"
rm -rf "$root/src"
mkdir -p "$root/src/pilvi-analyzer"
# the committed files only, as a clone would have them
(cd "$top" && git archive HEAD) | tar -x -C "$root/src/pilvi-analyzer"
mounted=""
cleanup() {
	for m in $mounted; do umount "$root/$m" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM
for m in proc dev; do
	case $m in
	proc) mount -t proc proc "$root/proc" ;;
	dev) mount --bind /dev "$root/dev" ;;
	esac
	mounted="$m $mounted"
done
chroot "$root" /bin/sh -c 'cd /src/pilvi-analyzer &&
    sh setup.sh demo > /tmp/demo.out 2>&1; rc=$?; tail -n 5 /tmp/demo.out;
    echo "setup.sh demo: exit $rc"; [ $rc = 0 ] || exit 1;
    sh setup.sh test 2>&1 | tail -n 3'
