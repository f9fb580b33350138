#!/bin/sh
# e2e: the agent and a real collector on loopback, the way a clinic's PC
# reaches the association: enroll with a token, report, the collector away
# (reports wait in the spool, exit 4) and back (`mamori upload` delivers
# them in order, once). Then `mamori report` is killed with SIGKILL at
# random moments, 200+ times, with the collector away and with it there:
# every report that ever reached the spool must arrive exactly once and in
# order, and no sequence may ever be handed out twice.
# Speaks TAP. Run by tests/run.sh with MAMORI_TOP and MAMORI_BUILD.
# KILLS_DOWN / KILLS_UP (default 120 / 100) and SEED change the kill run.
set -u
top=${MAMORI_TOP:?MAMORI_TOP must name the source tree}
build=${MAMORI_BUILD:?MAMORI_BUILD must name the build folder}
mamori=$build/mamori
coll=$build/mamori-collector
kills_down=${KILLS_DOWN:-120}
kills_up=${KILLS_UP:-100}
seed=${SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
skip() { n=$((n + 1)); echo "ok $n # SKIP $*"; }
check() { if [ "$1" = "$2" ]; then ok "$3"; else notok "$3 (got \"$1\", expected \"$2\")"; fi; }
diag() { sed -n '1,30s/^/#   /p' "$1"; }
finish() { echo "1..$n"; [ "$failed" -eq 0 ]; exit $?; }

for tool in sqlite3 jq timeout; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		notok "$tool is installed (scripts/deps.sh installs it)"
		finish
	fi
done
if [ ! -x "$mamori" ]; then
	notok "$mamori exists (run make)"
	finish
fi
if [ ! -x "$coll" ]; then
	for what in enroll report "collector away: reports spooled, exit 4" \
	    "collector back: upload delivers in order" "kill -9 during report"; do
		skip "collector not built ($what)"
	done
	finish
fi

tmp=$(mktemp -d)
cpid=""
stop_collector() {
	if [ -n "$cpid" ]; then
		kill "$cpid" 2>/dev/null
		wait "$cpid" 2>/dev/null
		cpid=""
	fi
}
trap 'stop_collector; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP PIPE

conf=$tmp/collector.conf
db=$tmp/collector.db
printf 'listen = 127.0.0.1\nport = 0\ndatabase = %s\n' "$db" >"$conf"
port=0
# start_collector: serves on $port (0 the first time: any free port, then
# kept, so that the enrolled URL stays right across restarts).
start_collector() {
	: >"$tmp/coll.log"
	"$coll" --config "$conf" --port "$port" serve >"$tmp/coll.log" 2>&1 &
	cpid=$!
	i=0
	while [ $i -lt 100 ]; do
		if grep -q 'listening on' "$tmp/coll.log"; then
			port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$tmp/coll.log" | head -n 1)
			return 0
		fi
		kill -0 "$cpid" 2>/dev/null || break
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}
# stored: the sequences the collector stored for the device, in arrival order.
stored() {
	sqlite3 "$db" "SELECT r.sequence FROM reports r JOIN devices d ON d.id = r.device
	    WHERE d.device_id = '$dev' ORDER BY r.id;"
}
spooled() { ls "$state/spool" 2>/dev/null | grep -E '^[0-9]{20}$' | sed 's/^0*//'; }

facility="松原クリニック"
"$coll" --config "$conf" facility add "$facility" >"$tmp/out" 2>&1 ||
    { notok "facility add"; diag "$tmp/out"; finish; }
token=$("$coll" --config "$conf" token create --facility 1 --uses 2 2>"$tmp/err")
[ -n "$token" ] || { notok "token create"; diag "$tmp/err"; finish; }
if ! start_collector; then
	notok "the collector starts on loopback"
	diag "$tmp/coll.log"
	finish
fi
ok "the collector serves on 127.0.0.1:$port"
url=http://127.0.0.1:$port

state=$tmp/state
export MAMORI_STATE_DIR="$state"
ws=$tmp/ws
sh "$top/tests/fixtures/instantiate.sh" "$top/tests/fixtures/compliant" "$ws"

# --- enroll ---------------------------------------------------------------
"$mamori" enroll --server "$url" --token "$token" >"$tmp/out" 2>&1
rc=$?
check "$rc" 0 "mamori enroll exits 0"
[ "$rc" -eq 0 ] || diag "$tmp/out"
dev=$(jq -r .device_id "$state/device.json" 2>/dev/null)
case "$dev" in dev_*) ok "device.json holds the device id ($dev)" ;;
	*) notok "device.json holds the device id"; finish ;; esac
check "$(jq -r .facility.name "$state/device.json")" "$facility" "device.json names the facility, whole"
if grep -qF "\"$facility\"" "$tmp/out"; then ok "mamori enroll says which facility"; else notok "mamori enroll says which facility"; diag "$tmp/out"; fi
check "$(stat -c %a "$state")" 700 "the state folder is 0700"
key=$(jq -r .key_file "$state/device.json")
check "$(stat -c %a "$state/$key")" 600 "the device key is 0600"
"$coll" --config "$conf" device list >"$tmp/devs" 2>&1
if grep -q "$dev" "$tmp/devs"; then ok "the collector lists the device"; else notok "the collector lists the device"; diag "$tmp/devs"; fi
cp "$state/device.json" "$tmp/device.before"
"$mamori" enroll --server "$url" --token "$token" >"$tmp/out" 2>&1
check "$?" 2 "a second enroll without --force is refused (exit 2)"
if cmp -s "$state/device.json" "$tmp/device.before"; then ok "and changes nothing"; else notok "and changes nothing"; fi

# --- report ---------------------------------------------------------------
"$mamori" report --root "$ws" >"$tmp/out" 2>&1
rc=$?
case $rc in 0|1|3) ok "mamori report exits with the scan's code ($rc)" ;;
	*) notok "mamori report exits with the scan's code (got $rc)"; diag "$tmp/out" ;; esac
check "$(stored | tr '\n' ' ')" "1 " "the collector stored report 1"
check "$(spooled | wc -l)" 0 "the spool is empty after delivery"
body=$(sqlite3 "$db" "SELECT body FROM reports WHERE sequence = 1;")
check "$(printf '%s' "$body" | jq -r '.device_id + " " + (.sequence|tostring) + " " + (.spool.dropped|tostring)')" \
    "$dev 1 0" "the stored report carries device_id, sequence and spool.dropped"

# --- collector away, then back --------------------------------------------
stop_collector
"$mamori" report --root "$ws" >"$tmp/out" 2>"$tmp/err"
check "$?" 4 "collector away: mamori report exits 4 (spooled, not delivered)"
if grep -q 'not delivered' "$tmp/err"; then ok "and says why on stderr"; else notok "and says why on stderr"; diag "$tmp/err"; fi
"$mamori" report --root "$ws" >"$tmp/out" 2>&1
check "$?" 4 "a second report while away exits 4"
check "$(spooled | tr '\n' ' ')" "2 3 " "both wait in the spool"
"$mamori" upload >"$tmp/out" 2>&1
check "$?" 4 "mamori upload while away exits 4 and keeps them"
check "$(spooled | tr '\n' ' ')" "2 3 " "the spool is intact"
start_collector || { notok "the collector restarts on port $port"; diag "$tmp/coll.log"; finish; }
"$mamori" upload >"$tmp/out" 2>&1
rc=$?
check "$rc" 0 "collector back: mamori upload exits 0"
[ "$rc" -eq 0 ] || diag "$tmp/out"
check "$(stored | tr '\n' ' ')" "1 2 3 " "both arrived, in order, once"
check "$(spooled | wc -l)" 0 "the spool is empty"
"$mamori" upload >"$tmp/out" 2>&1
check "$?" 0 "an upload with nothing to send exits 0"
check "$(stored | tr '\n' ' ')" "1 2 3 " "and sends nothing twice"

# --- kill -9 at random moments --------------------------------------------
echo "# kill run: seed $seed, $kills_down kills with the collector away, $kills_up with it there"
seen=$tmp/seen		# "sequence sha256" of every spool file ever seen
: >"$seen"
last_seq=$(cat "$state/sequence")
regress=0
# snapshot: records the spool's files and checks the counter never goes back.
snapshot() {
	(cd "$state/spool" && sha256sum -- 0* 2>/dev/null) |
	    awk '$2 !~ /\.tmp$/ { sub(/^0+/, "", $2); print $2, $1 }' >>"$seen"
	s=$(cat "$state/sequence" 2>/dev/null || echo 0)
	if [ "$s" -lt "$last_seq" ]; then regress=$((regress + 1)); fi
	last_seq=$s
}
# delays NUM MAXMS: NUM random delays in seconds: every other one from 1 to
# MAXMS milliseconds, the others from 0.7 to 1.6 scan times, where the
# sequence bump and the spool write happen.
delays() {
	awk -v n="$1" -v max="$2" -v t="$scan_ms" -v seed="$seed$1" 'BEGIN { srand(seed);
	    for (i = 0; i < n; i++)
		printf "%.3f\n", (i % 2 ? 1 + rand() * (max - 1) : t * (0.7 + 0.9 * rand())) / 1000 }'
}
kill_run() {
	for d in $(delays "$1" "$2"); do
		timeout -s KILL "$d" "$mamori" report --root "$ws" >/dev/null 2>&1
		snapshot
	done
}
# The kills must land in the few milliseconds that matter (sequence bump,
# spool write, upload, removal): the window is scaled to how long a scan
# takes on this machine and build (ASan is several times slower).
scan_ms=$(for i in 1 2 3; do
	s=$(date +%s%N)
	"$mamori" scan --root "$ws" --format json >/dev/null 2>&1
	echo $(( ($(date +%s%N) - s) / 1000000 ))
done | sort -n | sed -n 2p)
echo "# a scan takes ${scan_ms} ms here; kill windows 1..$((2 * scan_ms + 20)) and 1..$((3 * scan_ms + 60)) ms"
stop_collector
kill_run "$kills_down" $((2 * scan_ms + 20))
start_collector || { notok "the collector restarts on port $port"; diag "$tmp/coll.log"; finish; }
kill_run "$kills_up" $((3 * scan_ms + 60))
check "$regress" 0 "the sequence counter never went back across $((kills_down + kills_up)) kills"
reused=$(sort -u "$seen" | awk '{ c[$1]++ } END { n = 0; for (s in c) if (c[s] > 1) n++; print n }')
check "$reused" 0 "no sequence was ever spooled with two different reports"
"$mamori" upload >"$tmp/out" 2>&1
rc=$?
check "$rc" 0 "mamori upload after the kills exits 0"
[ "$rc" -eq 0 ] || diag "$tmp/out"
check "$(spooled | wc -l)" 0 "the spool is empty"
stored >"$tmp/stored"
check "$(sort -n "$tmp/stored" | uniq -d | wc -l)" 0 "no report was stored twice"
if sort -n -c "$tmp/stored" 2>/dev/null && [ "$(sort -n -u "$tmp/stored" | wc -l)" -eq "$(wc -l <"$tmp/stored")" ]; then
	ok "the collector received them in strictly increasing order ($(wc -l <"$tmp/stored") reports)"
else
	notok "the collector received them in strictly increasing order"
fi
missing=$(cut -d' ' -f1 "$seen" | sort -u | while read -r s; do
	grep -qx "$s" "$tmp/stored" || echo "$s"; done | wc -l)
check "$missing" 0 "every report seen in the spool ($(cut -d' ' -f1 "$seen" | sort -u | wc -l)) reached the collector"
check "$(cat "$state/dropped" 2>/dev/null || echo 0)" 0 "nothing was dropped"
max=$(tail -n 1 "$tmp/stored")
echo "# $(wc -l <"$tmp/stored") stored; $(( $(cat "$state/sequence") - $(wc -l <"$tmp/stored") )) sequences skipped by kills between the counter and the spool"
if [ "$max" -le "$(cat "$state/sequence")" ]; then ok "no stored sequence is above the agent's counter"; else notok "no stored sequence is above the agent's counter"; fi
if ls "$state/spool" | grep -q '\.tmp$'; then notok "no temporary file is left in the spool"; else ok "no temporary file is left in the spool"; fi

# --- a full spool: the oldest go, and the collector is told of each once ----
printf '{ "id": "small-spool", "spool": { "max_reports": 2 } }\n' >"$tmp/small.json"
before=$(cat "$state/sequence")
stop_collector
full=0
for i in 1 2 3 4; do
	"$mamori" report --root "$ws" --policy "$tmp/small.json" >/dev/null 2>"$tmp/err"
	[ $? -eq 4 ] || full=99
	grep -q 'spool was full' "$tmp/err" && full=$((full + 1))
done
check "$full" 2 "max_reports 2, collector away: the 3rd and 4th report each push the oldest out"
check "$(spooled | wc -l)" 2 "two reports wait"
check "$(cat "$state/dropped")" 2 "two drops are counted in the state folder"
start_collector || { notok "the collector restarts on port $port"; diag "$tmp/coll.log"; finish; }
"$mamori" report --root "$ws" --policy "$tmp/small.json" >"$tmp/out" 2>&1
case $? in 0|1|3) ok "collector back: the next report delivers all" ;;
	*) notok "collector back: the next report delivers all"; diag "$tmp/out" ;; esac
"$mamori" report --root "$ws" --policy "$tmp/small.json" >/dev/null 2>&1
arrived=$(sqlite3 "$db" "SELECT count(*) || ' ' || sum(dropped) FROM reports WHERE sequence > $before;")
check "$arrived" "3 3" "3 reports arrived, and their spool.dropped add up to the 3 that were dropped"
check "$(cat "$state/dropped")" 0 "once the collector has been told, the counter is back to 0"
stop_collector
finish
