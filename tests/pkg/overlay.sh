# The install tests of tests/pkg/packages.sh, sourced by it inside the
# throwaway root's mount namespace: $root is the overlay of /, $debs the
# folder of the two packages inside it, $n the number of the last test;
# ok, notok, check and diag come from packages.sh. Every command runs
# chrooted into $root, so what dpkg and the maintainer scripts do lands in
# the overlay only.

export PATH=/usr/sbin:/usr/bin:/sbin:/bin
export LC_ALL=C.UTF-8
r() { chroot "$root" "$@"; }
as_coll() { chroot --userspec=mamori-collector:mamori-collector "$root" "$@"; }
log=/tmp/pkgtest
mkdir -p "$root$log" "$root/run/user/0"
chmod 1777 "$root$log"
chmod 0700 "$root/run/user/0"

# The state folder, file by file, with modes and checksums: what must
# survive an upgrade, a removal and a reinstall byte for byte.
state_snapshot() {
	r sh -c 'cd /var/lib/mamori 2>/dev/null && find . -print | sort | while IFS= read -r f; do
		printf "%s %s " "$f" "$(stat -c "%a %U" "$f")"
		[ -f "$f" ] && sha256sum <"$f" | cut -c1-16 || echo
	done'
}

cpid=""
port=0
# The shipped collector, with the shipped configuration (loopback, plain
# HTTP, /var/lib/mamori-collector/collector.db), as its own user.
start_collector() {
	: >"$root$log/coll.log"
	# chroot itself, not a function, so that $! is the collector (chroot
	# execs it) and kill reaches it.
	chroot --userspec=mamori-collector:mamori-collector "$root" \
	    /usr/bin/mamori-collector --port "$port" serve >"$root$log/coll.log" 2>&1 &
	cpid=$!
	i=0
	while [ $i -lt 100 ]; do
		if grep -q 'listening on' "$root$log/coll.log"; then
			port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$root$log/coll.log" | head -n 1)
			return 0
		fi
		kill -0 "$cpid" 2>/dev/null || break
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}
stop_collector() {
	if [ -n "$cpid" ]; then
		kill "$cpid" 2>/dev/null
		wait "$cpid" 2>/dev/null
		cpid=""
	fi
}
trap 'stop_collector' EXIT

install_both() {
	r dpkg -i "$debs/mamori-collector_${version}_$arch.deb" "$debs/mamori_${version}_$arch.deb" \
	    >"$root$log/dpkg.out" 2>&1
}

# ---- install ------------------------------------------------------------
if install_both; then
	ok "dpkg -i installs both packages; their maintainer scripts succeed"
else
	notok "dpkg -i installs both packages"
	diag "$root$log/dpkg.out"
	return 0
fi
check "$(r mamori --version 2>&1)" "mamori $version" "the installed mamori --version says $version"
check "$(r mamori-collector --version 2>&1)" "mamori-collector $version" \
    "the installed mamori-collector --version says $version"
# --check reads the installed policy and finds the installed waiting half
# (/usr/libexec/mamori/mamori-watchd), which mamori.service execs into.
r mamori daemon --check >"$root/tmp/dcheck.out" 2>&1
rc=$?
case $rc in
0) ok "the installed mamori daemon --check accepts its policy and finds mamori-watchd" ;;
*) notok "the installed mamori daemon --check (exit $rc)"; diag "$root/tmp/dcheck.out" ;;
esac
check "$(r stat -c '%a %U %G' /var/lib/mamori 2>&1)" "700 root root" \
    "/var/lib/mamori (key, spool) is made 0700 root"
pw=$(r getent passwd mamori-collector)
uid=$(echo "$pw" | cut -d: -f3)
if [ -n "$uid" ] && [ "$uid" -lt 1000 ] && [ "$(echo "$pw" | cut -d: -f6,7)" = "/var/lib/mamori-collector:/usr/sbin/nologin" ]; then
	ok "the system user mamori-collector exists (uid $uid, no login shell)"
else
	notok "the system user mamori-collector exists with no login shell (got \"$pw\")"
fi
check "$(r stat -c '%a %U %G' /var/lib/mamori-collector 2>&1)" "750 mamori-collector mamori-collector" \
    "/var/lib/mamori-collector is made 0750, owned by mamori-collector"
links=""
for l in /etc/systemd/system/multi-user.target.wants/mamori.service \
    /etc/systemd/system/multi-user.target.wants/mamori-collector.service \
    /etc/systemd/user/graphical-session.target.wants/mamori-notify.service; do
	[ -L "$root$l" ] || links="$links $l"
done
[ -z "$links" ] && ok "mamori.service and mamori-collector.service are enabled at boot, mamori-notify.service in every graphical session" ||
    notok "units not enabled:$links"

# systemd-analyze verify loads each unit as systemd would: it checks the
# syntax, every directive, and that ExecStart's program exists and is
# executable (not what the program does with its arguments).
if r systemd-analyze verify /lib/systemd/system/mamori.service \
    /lib/systemd/system/mamori-collector.service >"$root$log/verify.out" 2>&1 &&
    ! grep -q 'mamori' "$root$log/verify.out"; then
	ok "systemd-analyze verify: mamori.service and mamori-collector.service"
else
	notok "systemd-analyze verify: mamori.service and mamori-collector.service"
	diag "$root$log/verify.out"
fi
if r env XDG_RUNTIME_DIR=/run/user/0 systemd-analyze --user verify \
    /usr/lib/systemd/user/mamori-notify.service >"$root$log/verify-user.out" 2>&1 &&
    ! grep -q 'mamori' "$root$log/verify-user.out"; then
	ok "systemd-analyze --user verify: mamori-notify.service"
else
	notok "systemd-analyze --user verify: mamori-notify.service"
	diag "$root$log/verify-user.out"
fi
# The unit's program really exists where the unit says: a broken ExecStart
# path makes verify fail, so this run proves verify looks.
sed 's#^ExecStart=/usr/bin/mamori #ExecStart=/usr/bin/mamori-nonexistent #' \
    "$root/lib/systemd/system/mamori.service" >"$root$log/broken.service"
if r systemd-analyze verify "$log/broken.service" >"$root$log/broken.out" 2>&1; then
	notok "systemd-analyze verify fails on a unit whose program does not exist"
	diag "$root$log/broken.out"
else
	ok "systemd-analyze verify fails on a unit whose program does not exist (so it checked ours)"
fi

# ---- enroll and report with what the packages installed -----------------
if ! start_collector; then
	notok "the installed collector starts as mamori-collector with the shipped configuration"
	diag "$root$log/coll.log"
	return 0
fi
ok "the installed collector starts as mamori-collector with the shipped configuration (port $port)"
as_coll mamori-collector facility add "松原クリニック" >/dev/null 2>"$root$log/admin.err"
tok=$(as_coll mamori-collector token create --facility 1 --uses 1 2>>"$root$log/admin.err")
if r mamori enroll --server "http://127.0.0.1:$port" --token "$tok" >"$root$log/enroll.out" 2>&1; then
	ok "mamori enroll with a token of the installed collector"
else
	notok "mamori enroll with a token of the installed collector"
	diag "$root$log/admin.err"
	diag "$root$log/enroll.out"
fi
r mamori report >"$root$log/report.out" 2>&1
rc=$?
case $rc in
0|1|3) ok "mamori report delivers a signed report (exit $rc)" ;;
*) notok "mamori report delivers a signed report (exit $rc)"; diag "$root$log/report.out" ;;
esac
check "$(r stat -c '%a %U' /var/lib/mamori-collector/collector.db 2>&1)" "600 mamori-collector" \
    "the collector's database is 0600, its user's"
stop_collector
r mamori report >"$root$log/report2.out" 2>&1
rc=$?
spooled=$(r find /var/lib/mamori/spool -type f 2>/dev/null | wc -l)
if [ "$rc" -eq 4 ] && [ "$spooled" -ge 1 ]; then
	ok "collector away: the report waits in the spool (exit 4, $spooled spooled)"
else
	notok "collector away: the report waits in the spool (exit $rc, $spooled spooled)"
	diag "$root$log/report2.out"
fi
key=$(r sh -c 'ls /var/lib/mamori/device-*.key' 2>/dev/null)
before=$(state_snapshot)

# ---- upgrade path, remove, reinstall -------------------------------------
# dpkg -i of the installed version runs what an upgrade runs: prerm
# upgrade, the new files, postrm upgrade, postinst configure OLD-VERSION.
if install_both; then
	check "$(state_snapshot)" "$before" "dpkg -i over the installed packages (the upgrade path) keeps key, enrollment and spool as they were"
else
	notok "dpkg -i over the installed packages"
	diag "$root$log/dpkg.out"
fi
if r dpkg -r mamori mamori-collector >"$root$log/remove.out" 2>&1 && [ ! -e "$root/usr/bin/mamori" ]; then
	ok "dpkg -r removes both packages"
else
	notok "dpkg -r removes both packages"
	diag "$root$log/remove.out"
fi
check "$(state_snapshot)" "$before" "after dpkg -r: the device's key ($key), enrollment and spooled report are still there"
[ -f "$root/var/lib/mamori-collector/collector.db" ] && ok "after dpkg -r: the collector's database is still there" ||
    notok "after dpkg -r: the collector's database is still there"
[ -f "$root/etc/mamori/policy.json" ] && ok "after dpkg -r: /etc/mamori/policy.json stays (a conffile)" ||
    notok "after dpkg -r: /etc/mamori/policy.json stays (a conffile)"
if install_both; then
	check "$(state_snapshot)" "$before" "reinstalled: key, enrollment and spool as before"
else
	notok "reinstalled after dpkg -r"
	diag "$root$log/dpkg.out"
fi
# The same device, with the same key, delivers what waited.
if start_collector && r mamori upload >"$root$log/upload.out" 2>&1 &&
    [ "$(r find /var/lib/mamori/spool -type f | wc -l)" -eq 0 ]; then
	ok "reinstalled: mamori upload delivers the spooled report, signed with the kept key"
else
	notok "reinstalled: mamori upload delivers the spooled report"
	diag "$root$log/upload.out"
	diag "$root$log/coll.log"
fi
seq=$(as_coll mamori-collector device list 2>/dev/null | awk -F '\t' 'NR == 2 { print $6 }')
check "$seq" "2" "the collector has both reports of the one device (last sequence 2)"
stop_collector

# ---- purge --------------------------------------------------------------
if r dpkg --purge mamori mamori-collector >"$root$log/purge.out" 2>&1; then
	ok "dpkg --purge purges both packages"
else
	notok "dpkg --purge purges both packages"
	diag "$root$log/purge.out"
fi
left=""
for p in /var/lib/mamori /var/lib/mamori-collector /etc/mamori /etc/mamori-collector \
    /etc/xdg/autostart/mamori-notify.desktop \
    /etc/systemd/system/multi-user.target.wants/mamori.service \
    /etc/systemd/system/multi-user.target.wants/mamori-collector.service \
    /etc/systemd/user/graphical-session.target.wants/mamori-notify.service; do
	{ [ -e "$root$p" ] || [ -L "$root$p" ]; } && left="$left $p"
done
[ -z "$left" ] && ok "after purge: key, spool, database, configuration and unit links are gone" ||
    notok "after purge, still there:$left"
