#!/bin/sh
# The Debian packages, as facility IT and the association get them: build
# mamori and mamori-collector (packaging/build-deb.sh: dpkg-buildpackage,
# lintian), look at what they hold, then install them for real — maintainer
# scripts, users, folders, unit enablement — into a throwaway root: an
# overlay of this machine's own root mounted in a private mount namespace.
# There, the shipped collector and agent enroll and report on loopback;
# `dpkg -i` again (the upgrade path), `dpkg -r` and a reinstall must keep
# the device's key, enrollment and spooled reports; `dpkg --purge` must
# delete them. This machine's root is never written: everything dpkg does
# lands in the overlay's upper folder, which is deleted at the end.
#
# Why an overlay and not a debootstrap chroot: it needs no network and no
# minutes of bootstrapping, and it has every library the packages depend
# on, since they were just built here. Why not install on this machine:
# `make check` also runs on developers' machines. It needs root and the
# right to mount (CI has both); without them the install tests are skipped,
# and say so.
#
# Speaks TAP. Run by tests/run.sh with MAMORI_TOP.
set -u
top=${MAMORI_TOP:?MAMORI_TOP must name the source tree}
out=${MAMORI_DEB_OUT:-$top/build/deb-check}

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
skip() { n=$((n + 1)); echo "ok $n # SKIP $*"; }
check() { if [ "$1" = "$2" ]; then ok "$3"; else notok "$3 (got \"$1\", expected \"$2\")"; fi; }
diag() { sed -n '1,40s/^/#   /p' "$1"; }
finish() { echo "1..$n"; [ "$failed" -eq 0 ]; exit $?; }

version=$(sed -n 's/^VERSION *:= *//p' "$top/Makefile")
arch=$(dpkg-architecture -qDEB_HOST_ARCH 2>/dev/null || dpkg --print-architecture)

# ---- inside the throwaway root (this script again, under unshare) -------
if [ "${1:-}" = "--in-overlay" ]; then
	root=$2
	n=$3
	debs=$4
	failed=0
	. "$top/tests/pkg/overlay.sh"
	exit 0
fi

for tool in dpkg-buildpackage dh lintian systemd-analyze; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		notok "$tool is installed (scripts/deps.sh installs it)"
		finish
	fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP PIPE

# 1-2. Build, lintian.
sh "$top/packaging/build-deb.sh" "$out" >"$tmp/build.out" 2>&1
rc=$?
agent_deb=$out/mamori_${version}_$arch.deb
coll_deb=$out/mamori-collector_${version}_$arch.deb
if [ "$rc" -eq 1 ] || [ ! -f "$agent_deb" ] || [ ! -f "$coll_deb" ]; then
	notok "dpkg-buildpackage builds mamori and mamori-collector $version (exit $rc)"
	diag "$tmp/build.out"
	finish
fi
ok "dpkg-buildpackage builds mamori and mamori-collector $version"
if [ "$rc" -eq 0 ]; then
	ok "lintian: no error or warning (overrides, each with its reason, in packaging/debian/)"
	sed 's/^/# lintian: /' "$out/lintian.txt"
else
	notok "lintian: no error or warning"
	diag "$out/lintian.txt"
fi

# 3-8. What the packages hold.
x=$tmp/x
mkdir -p "$x"
dpkg-deb -x "$agent_deb" "$x" && dpkg-deb -x "$coll_deb" "$x"
missing=""
for f in usr/bin/mamori usr/libexec/mamori/mamori-watchd lib/systemd/system/mamori.service \
    usr/lib/systemd/user/mamori-notify.service etc/xdg/autostart/mamori-notify.desktop \
    etc/mamori/policy.json usr/share/locale/ja/LC_MESSAGES/mamori.mo \
    usr/share/man/man8/mamori.8.gz usr/share/man/man5/mamori.policy.5.gz \
    usr/share/doc/mamori/policy.md usr/share/doc/mamori/report.md \
    usr/bin/mamori-collector lib/systemd/system/mamori-collector.service \
    etc/mamori-collector/collector.conf usr/share/man/man8/mamori-collector.8.gz \
    usr/share/doc/mamori-collector/collector.md; do
	[ -f "$x/$f" ] || missing="$missing /$f"
done
[ -z "$missing" ] && ok "the packages hold the programs, units, autostart entry, policy, catalog, manual pages and docs" ||
    notok "the packages lack:$missing"
conff=$(dpkg-deb -f "$agent_deb" Package >/dev/null; { dpkg-deb --ctrl-tarfile "$agent_deb" | tar -xOf - ./conffiles; dpkg-deb --ctrl-tarfile "$coll_deb" | tar -xOf - ./conffiles; } 2>/dev/null | sort | tr '\n' ' ')
check "$conff" "/etc/mamori-collector/collector.conf /etc/mamori/policy.json /etc/xdg/autostart/mamori-notify.desktop " \
    "the policy, the collector's configuration and the autostart entry are conffiles: an edited copy survives upgrades"
if cmp -s "$x/etc/mamori/policy.json" "$top/policy/default.json" &&
    "$x/usr/bin/mamori" policy check "$x/etc/mamori/policy.json" >"$tmp/pc.out" 2>&1; then
	ok "/etc/mamori/policy.json is the built-in default, and valid"
else
	notok "/etc/mamori/policy.json is the built-in default, and valid"
	diag "$tmp/pc.out"
fi
if "$x/usr/bin/mamori-collector" --config "$x/etc/mamori-collector/collector.conf" --check-config \
    >"$tmp/cc.out" 2>&1; then
	ok "the shipped collector.conf validates (mamori-collector --check-config)"
else
	notok "the shipped collector.conf validates"
	diag "$tmp/cc.out"
fi
# Both notifiers would start in GNOME and Plasma without X-systemd-skip.
d=$x/etc/xdg/autostart/mamori-notify.desktop
if grep -qx 'Exec=/usr/bin/mamori notify' "$d" && grep -qx 'X-systemd-skip=true' "$d" &&
    grep -q '^Name\[ja\]=' "$d"; then
	ok "the autostart entry runs mamori notify, has a Japanese name, and leaves systemd sessions to the user unit"
else
	notok "the autostart entry runs mamori notify, has a Japanese name, and says X-systemd-skip=true"
fi
# The catalog's folder is compiled in: a binary built with another PREFIX
# would never find /usr/share/locale/ja.
if grep -q '/usr/share/locale' "$x/usr/bin/mamori" &&
    msgunfmt "$x/usr/share/locale/ja/LC_MESSAGES/mamori.mo" >/dev/null 2>&1; then
	ok "the Japanese catalog is valid and the binary looks for it in /usr/share/locale"
else
	notok "the Japanese catalog is valid and the binary looks for it in /usr/share/locale"
fi
# Hardening the units promise, as systemd itself scores it (0 safest, 10
# unconfined). The agent needs root and four capabilities, the collector
# none of anything.
for u in mamori:5.5 mamori-collector:2.5; do
	name=${u%%:*}
	max=${u#*:}
	systemd-analyze security --offline=true --root="$x" "$name.service" \
	    >"$tmp/sec.out" 2>&1 </dev/null
	score=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' "$tmp/sec.out")
	if [ -n "$score" ] && awk -v s="$score" -v m="$max" 'BEGIN { exit !(s <= m) }'; then
		ok "$name.service: systemd-analyze security exposure $score (at most $max)"
	else
		notok "$name.service: systemd-analyze security exposure ${score:-?} (at most $max)"
		tail -n 5 "$tmp/sec.out" | sed 's/^/#   /'
	fi
done

# 11-. Install, upgrade, remove, reinstall, purge in the throwaway root.
if [ "$(id -u)" -ne 0 ]; then
	skip "install tests need root (CI runs them)"
	finish
fi
if ! command -v unshare >/dev/null 2>&1; then
	skip "install tests need unshare (util-linux)"
	finish
fi
mkdir -p "$tmp/upper" "$tmp/work" "$tmp/root"
cp "$agent_deb" "$coll_deb" "$tmp/"
# The root file system alone: /usr and /var must be on it (they are on
# Debian's default layout), or the overlay would show them empty.
unshare --mount --propagation private sh -c '
	set -e
	mount -t overlay mamori-pkg-test -o lowerdir=/,upperdir="$1/upper",workdir="$1/work" "$1/root"
	mount -t proc proc "$1/root/proc"
	mount --rbind /dev "$1/root/dev"
	mount -t sysfs sysfs "$1/root/sys"
	mount -t tmpfs -o mode=0755 tmpfs "$1/root/run"
	mount -t tmpfs -o mode=1777 tmpfs "$1/root/tmp"
	mkdir -p "$1/root/tmp/debs"
	cp "$1"/*.deb "$1/root/tmp/debs/"
	exec sh "$2/tests/pkg/packages.sh" --in-overlay "$1/root" "$3" /tmp/debs
' overlay "$tmp" "$top" "$n" >"$tmp/overlay.out" 2>"$tmp/overlay.err"
rc=$?
cat "$tmp/overlay.out"
m=$(grep -c '^\(not \)\?ok ' "$tmp/overlay.out")
if [ "$m" -eq 0 ]; then
	if grep -q 'mount' "$tmp/overlay.err"; then
		skip "install tests: cannot mount an overlay of / here ($(head -n 1 "$tmp/overlay.err"))"
	else
		notok "install tests ran (exit $rc)"
		diag "$tmp/overlay.err"
	fi
	finish
fi
n=$((n + m))
failed=$((failed + $(grep -c '^not ok ' "$tmp/overlay.out")))
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
	notok "install tests ended with exit $rc"
	diag "$tmp/overlay.err"
fi
finish
