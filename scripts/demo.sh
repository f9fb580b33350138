#!/bin/sh
# The quick start's main job after the build, the whole way a clinic's PC
# takes: scan this machine, start a collector on loopback with its own
# SQLite file, create a facility and a one-time token, enroll this machine
# with it, send a signed report, and show what the collector stored.
#
# Everything lives under BUILD/demo (the collector's database, this demo
# PC's key and spool), never in /var/lib: the demo does not enroll the
# machine for real. The collector keeps running afterwards so that it can
# be looked at; running the demo again restarts it, and
# `kill $(cat BUILD/demo/collector.pid)` stops it.
#
# Root is needed to read /etc/shadow; without it the password checks
# honestly answer "unknown".
set -u
build=${1:-build}
demo=$build/demo
mamori=$build/mamori
coll=$build/mamori-collector
port=${MAMORI_DEMO_PORT:-8443}

if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
	run="sudo"
else
	run=""
fi
say() { printf '\n== %s ==\n' "$*"; }
die() { echo "demo: $*" >&2; exit 1; }

say "mamori scan of this machine"
$run "$mamori" scan
rc=$?
case $rc in
0) echo "(exit 0: compliant)" ;;
1) echo "(exit 1: noncompliant — see the FAIL lines and their fixes)" ;;
3) echo "(exit 3: undetermined — see the UNKNOWN lines)" ;;
*) die "mamori scan failed with exit $rc" ;;
esac

say "a collector on 127.0.0.1 with its embedded SQLite"
mkdir -p "$demo" || die "cannot create $demo"
if [ -f "$demo/collector.pid" ]; then
	kill "$(cat "$demo/collector.pid")" 2>/dev/null && sleep 0.5
	rm -f "$demo/collector.pid"
fi
rm -f "$demo/collector.db" "$demo/collector.db-wal" "$demo/collector.db-shm"
$run rm -rf "$demo/state"
printf 'listen = 127.0.0.1\nport = %s\ndatabase = %s/collector.db\ndashboard_dir = %s/dashboard\n' \
    "$port" "$(cd "$demo" && pwd)" "$(cd "$(dirname "$0")/.." && pwd)" >"$demo/collector.conf"
try_port=$port
for attempt in 1 2; do
	"$coll" --config "$demo/collector.conf" --port "$try_port" serve \
	    >"$demo/collector.log" 2>&1 &
	pid=$!
	i=0
	while [ $i -lt 100 ] && ! grep -q 'listening on' "$demo/collector.log"; do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
		i=$((i + 1))
	done
	grep -q 'listening on' "$demo/collector.log" && break
	kill "$pid" 2>/dev/null
	# the usual port is taken: let the kernel choose one
	try_port=0
done
grep -q 'listening on' "$demo/collector.log" ||
    { cat "$demo/collector.log" >&2; die "the collector did not start"; }
echo "$pid" >"$demo/collector.pid"
port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$demo/collector.log" | head -n 1)
cat "$demo/collector.log"
url="http://127.0.0.1:$port"

say "a facility and a one-time enrollment token"
cdb() { "$coll" --config "$demo/collector.conf" "$@"; }
facility=$(cdb facility add "デモ診療所" | cut -f 1) || die "facility add failed"
token=$(cdb token create --facility "$facility" --uses 1 --expires 1h) ||
    die "token create failed"
echo "facility $facility (デモ診療所), token ${token%"${token#????????}"}… (shown once, kept only as a hash)"

say "mamori enroll"
$run "$mamori" enroll --server "$url" --token "$token" --state-dir "$demo/state" ||
    die "enroll failed"

say "mamori report: scan, sign, spool, upload"
$run "$mamori" report --state-dir "$demo/state"
rc=$?
case $rc in
0 | 1 | 3) echo "(exit $rc: the report was delivered)" ;;
*) die "mamori report failed with exit $rc" ;;
esac

say "what the collector stored"
cdb device list
device=$(cdb device list | awk -F '\t' 'NR == 2 { print $1 }')
echo
cdb device history "$device"

say "the dashboard: a first administrator"
login=$(cdb admin add --role association demo-admin 2>/dev/null) || die "admin add failed"
echo "administrator demo-admin (association), first password shown below, once"

say "done"
echo "The collector keeps running at $url (pid $pid, database $demo/collector.db)."
echo "Send another report:  ${run:+$run }$mamori report --state-dir $demo/state"
echo "Stop the collector:   kill \$(cat $demo/collector.pid)"
echo
echo "Dashboard:            $url/"
echo "First login:          $(echo "$login" | cut -f 2) / $(echo "$login" | cut -f 3)   (change the password when asked)"
exit 0
