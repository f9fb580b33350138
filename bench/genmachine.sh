#!/bin/sh
# genmachine: writes a large machine tree for benchmarks — the compliant
# fixture's configuration, plus a dpkg status of many packages and many
# person accounts in passwd/shadow. The same seed (and day) gives the same
# bytes; the pseudo-random numbers are MINSTD in awk, exact in any awk.
set -eu

usage() {
	cat <<EOF
usage: bench/genmachine.sh [--seed N] [--packages N] [--persons N] [--today DAYS] OUTDIR

Writes a machine root tree into OUTDIR (which must not exist or be empty).

  --seed N       pseudo-random seed, 1 to 2147483646 (default 1)
  --packages N   packages in /var/lib/dpkg/status (default 3000)
  --persons N    person accounts (uid 1000 up) in passwd and shadow (default 200)
  --today DAYS   the day shadow dates count back from, in days since
                 1970-01-01 (default: today, UTC); fix it for identical trees

Every person has a (fake) password changed 0 to 59 days before --today
with a 60-day maximum, so the machine passes the account checks.
EOF
}

seed=1
packages=3000
persons=200
today=$(( $(date -u +%s) / 86400 ))
out=""
while [ $# -gt 0 ]; do
	case "$1" in
	--seed) seed=${2:?}; shift 2 ;;
	--packages) packages=${2:?}; shift 2 ;;
	--persons) persons=${2:?}; shift 2 ;;
	--today) today=${2:?}; shift 2 ;;
	-h|--help) usage; exit 0 ;;
	-*) usage >&2; exit 2 ;;
	*) [ -z "$out" ] || { usage >&2; exit 2; }; out=$1; shift ;;
	esac
done
[ -n "$out" ] || { usage >&2; exit 2; }
for v in "$seed" "$packages" "$persons" "$today"; do
	case "$v" in
	''|*[!0-9]*) echo "genmachine: $v is not a whole number" >&2; exit 2 ;;
	esac
done
if [ "$seed" -lt 1 ] || [ "$seed" -gt 2147483646 ]; then
	echo "genmachine: --seed takes 1 to 2147483646" >&2
	exit 2
fi
if [ -e "$out" ] && [ -n "$(ls -A "$out")" ]; then
	echo "genmachine: $out exists and is not empty" >&2
	exit 2
fi

top=$(cd "$(dirname "$0")/.." && pwd)
sh "$top/tests/fixtures/instantiate.sh" "$top/tests/fixtures/compliant" "$out" "$today"
rm -f "$out/README" "$out/expected.txt"

# Persons: appended after the fixture's own accounts.
awk -v seed="$seed" -v n="$persons" -v today="$today" -v pw="$out/etc/passwd" \
    -v sh="$out/etc/shadow" '
function rnd(m) { x = (x * 48271) % 2147483647; return x % m }
BEGIN {
	x = seed
	split("sato suzuki takahashi tanaka watanabe ito yamamoto nakamura kobayashi kato", fam, " ")
	for (i = 0; i < n; i++) {
		name = sprintf("%s%04d", fam[rnd(10) + 1], i)
		uid = 1002 + i
		printf "%s:x:%d:%d:Staff %d,,,:/home/%s:/bin/bash\n", name, uid, uid, i, name >> pw
		printf "%s:$y$j9T$bench$fake%08d:%d:1:60:7:::\n", name, rnd(100000000), today - rnd(60) >> sh
	}
}'

# Packages: the fixture's real ones stay first; generated ones follow,
# each stanza about the size of a real one (dependencies, a long
# description), so parsing cost is realistic.
awk -v seed="$seed" -v n="$packages" '
function rnd(m) { x = (x * 48271) % 2147483647; return x % m }
BEGIN {
	x = seed + 7919
	split("lib python3 gir1.2 fonts node golang ruby perl texlive gnome kde xserver", pre, " ")
	split("gtk qt glib ssl xml http image sound video print net crypto json yaml sql", mid, " ")
	split("admin libs utils net graphics sound x11 python perl devel doc fonts", sec, " ")
	split("amd64 all", arch, " ")
	have = 12	# the fixture holds a dozen packages already
	for (i = have; i < n; i++) {
		name = sprintf("%s-%s%d", pre[rnd(12) + 1], mid[rnd(15) + 1], i)
		printf "\nPackage: %s\n", name
		printf "Status: install ok installed\n"
		printf "Priority: optional\nSection: %s\n", sec[rnd(12) + 1]
		printf "Installed-Size: %d\n", 10 + rnd(50000)
		printf "Maintainer: Debian Bench Team <bench@example.invalid>\n"
		printf "Architecture: %s\n", arch[rnd(2) + 1]
		printf "Multi-Arch: same\n"
		printf "Source: %s-src\n", name
		printf "Version: %d.%d.%d-%d+deb12u%d\n", rnd(10), rnd(40), rnd(20), 1 + rnd(5), rnd(4)
		printf "Depends: libc6 (>= 2.34), libgcc-s1 (>= 3.0), libstdc++6 (>= 12), zlib1g (>= 1:1.2.0)\n"
		printf "Description: generated package %d for the mamori benchmark\n", i
		printf " This stanza stands in for a real package of a Debian 12 desktop.\n"
		printf " Its description runs over several lines, as real ones do, so that\n"
		printf " the parser meets continuation lines and realistic sizes.\n"
		printf " .\n"
		printf " Homepage-like text: https://example.invalid/%s\n", name
	}
}' >>"$out/var/lib/dpkg/status"
