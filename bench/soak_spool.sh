#!/bin/sh
# bench/soak_spool.sh: the spool's crash soak. `mamori report` is killed
# with SIGKILL at random moments, many times, half with the collector away
# (crashes around the sequence bump and the spool write) and half with it
# serving (crashes around upload and removal); then `mamori upload`. Every
# report ever seen in the spool must reach the collector exactly once and
# in order, no sequence may be handed out twice, nothing may be dropped.
# The same property as tests/e2e/agent_collector.sh, with many more kills.
# Prints key=value lines and result=PASS|FAIL; exits 1 on FAIL, 2 when it
# could not run. Not part of `make check`.
set -eu

usage() {
	cat <<EOF
usage: bench/soak_spool.sh [--iterations N] [--seed N] [--window-ms N] [--build DIR]

  --iterations N   kills in all (default 2000): the first half with the
                   collector away, the second half with it serving
  --seed N         seed of the kill delays (default 1)
  --window-ms N    kill after 1..N ms (default: scaled to this machine,
                   2 × scan time + 20 while away, 3 × scan time + 60 while serving)
  --build DIR      build folder holding mamori and mamori-collector
                   (default build; made with \`make BUILD=DIR\` if missing)
EOF
}

iterations=2000
seed=1
window=""
build=build
while [ $# -gt 0 ]; do
	case "$1" in
	--iterations) iterations=${2:?}; shift 2 ;;
	--seed) seed=${2:?}; shift 2 ;;
	--window-ms) window=${2:?}; shift 2 ;;
	--build) build=${2:?}; shift 2 ;;
	-h|--help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
done

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
make -s BUILD="$build" "$build/mamori" "$build/mamori-collector" >&2 || exit 2
for tool in sqlite3 timeout sha256sum; do
	command -v "$tool" >/dev/null 2>&1 || { echo "soak_spool: $tool is missing" >&2; exit 2; }
done
mamori=$top/$build/mamori
coll=$top/$build/mamori-collector

tmp=$(mktemp -d)
cpid=""
stop_collector() {
	if [ -n "$cpid" ]; then
		kill "$cpid" 2>/dev/null || true
		wait "$cpid" 2>/dev/null || true
		cpid=""
	fi
}
trap 'stop_collector; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP PIPE

db=$tmp/collector.db
conf=$tmp/collector.conf
printf 'listen = 127.0.0.1\nport = 0\ndatabase = %s\n' "$db" >"$conf"
port=0
start_collector() {
	"$coll" --config "$conf" --port "$port" serve >"$tmp/coll.log" 2>&1 &
	cpid=$!
	i=0
	while [ $i -lt 200 ]; do
		if grep -q 'listening on' "$tmp/coll.log"; then
			port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$tmp/coll.log" | head -n 1)
			return 0
		fi
		sleep 0.05
		i=$((i + 1))
	done
	echo "soak_spool: the collector did not start:" >&2
	cat "$tmp/coll.log" >&2
	exit 2
}

"$coll" --config "$conf" facility add "Soak" >/dev/null 2>&1
token=$("$coll" --config "$conf" token create --facility 1 2>/dev/null)
start_collector
state=$tmp/state
export MAMORI_STATE_DIR="$state"
ws=$tmp/ws
sh tests/fixtures/instantiate.sh tests/fixtures/compliant "$ws"
"$mamori" enroll --server "http://127.0.0.1:$port" --token "$token" >/dev/null || exit 2
dev=$(sed -n 's/.*"device_id": "\([^"]*\)".*/\1/p' "$state/device.json")

if [ -z "$window" ]; then
	scan_ms=$(for i in 1 2 3 4 5; do
		s=$(date +%s%N)
		"$mamori" scan --root "$ws" --format json >/dev/null 2>&1 || true
		echo $(( ($(date +%s%N) - s) / 1000000 ))
	done | sort -n | sed -n 3p)
	window_down=$((2 * scan_ms + 20))
	window_up=$((3 * scan_ms + 60))
else
	scan_ms=""
	window_down=$window
	window_up=$window
fi
down=$((iterations / 2))
up=$((iterations - down))

seen=$tmp/seen
: >"$seen"
last_seq=0
kill_run() {
	# every other kill lands 0.7 to 1.6 scan times in, around the
	# sequence bump and the spool write; the others anywhere in the window
	awk -v n="$1" -v max="$2" -v t="${scan_ms:-$(($2 / 2))}" -v seed="$seed$1$2" 'BEGIN { srand(seed);
	    for (i = 0; i < n; i++)
		printf "%.3f\n", (i % 2 ? 1 + rand() * (max - 1) : t * (0.7 + 0.9 * rand())) / 1000 }' |
	while read -r d; do
		timeout -s KILL "$d" "$mamori" report --root "$ws" >/dev/null 2>&1 || true
		(cd "$state/spool" && sha256sum -- 0* 2>/dev/null) |
		    awk '$2 !~ /\.tmp$/ { sub(/^0+/, "", $2); print $2, $1 }' >>"$seen"
		s=$(cat "$state/sequence" 2>/dev/null || echo 0)
		[ "$s" -ge "$last_seq" ] || echo regress >>"$tmp/regress"
		last_seq=$s
	done
}

start=$(date +%s)
stop_collector
kill_run "$down" "$window_down"
start_collector
kill_run "$up" "$window_up"
upload_rc=0
"$mamori" upload >"$tmp/upload.log" 2>&1 || upload_rc=$?
wall=$(( $(date +%s) - start ))
stop_collector

sqlite3 "$db" "SELECT r.sequence FROM reports r JOIN devices d ON d.id = r.device
    WHERE d.device_id = '$dev' ORDER BY r.id;" >"$tmp/stored"
cut -d' ' -f1 "$seen" | sort -n -u >"$tmp/seen_seqs"
stored=$(wc -l <"$tmp/stored")
counter=$(cat "$state/sequence")
duplicates=$(sort -n "$tmp/stored" | uniq -d | wc -l)
out_of_order=$(awk 'NR > 1 && $1 <= prev { n++ } { prev = $1 } END { print n + 0 }' "$tmp/stored")
missing=$(awk 'NR == FNR { s[$1] = 1; next } !($1 in s) { n++ } END { print n + 0 }' \
    "$tmp/stored" "$tmp/seen_seqs")
reused=$(sort -u "$seen" | awk '{ c[$1]++ } END { n = 0; for (s in c) if (c[s] > 1) n++; print n }')
regressions=0
[ ! -f "$tmp/regress" ] || regressions=$(wc -l <"$tmp/regress")
left=$(find "$state/spool" -mindepth 1 -maxdepth 1 | wc -l)
dropped=$(cat "$state/dropped" 2>/dev/null || echo 0)

echo "iterations=$iterations"
echo "seed=$seed"
echo "kills_collector_away=$down"
echo "kills_collector_serving=$up"
echo "scan_ms=${scan_ms:-n/a}"
echo "window_ms_away=$window_down"
echo "window_ms_serving=$window_up"
echo "wall_s=$wall"
echo "sequence_counter=$counter"
echo "reports_stored=$stored"
echo "sequences_skipped=$((counter - stored))"
echo "sequences_seen_spooled=$(wc -l <"$tmp/seen_seqs")"
echo "missing=$missing"
echo "duplicates=$duplicates"
echo "out_of_order=$out_of_order"
echo "reused=$reused"
echo "counter_regressions=$regressions"
echo "spool_left_after_upload=$left"
echo "dropped=$dropped"
echo "upload_exit=$upload_rc"
if [ "$missing" -eq 0 ] && [ "$duplicates" -eq 0 ] && [ "$out_of_order" -eq 0 ] &&
    [ "$reused" -eq 0 ] && [ "$regressions" -eq 0 ] && [ "$left" -eq 0 ] &&
    [ "$dropped" -eq 0 ] && [ "$upload_rc" -eq 0 ]; then
	echo "result=PASS"
else
	echo "result=FAIL"
	exit 1
fi
