#!/bin/sh
# bench/daemon.sh: what `mamori daemon` costs a clinic PC. It runs the
# daemon against a generated machine (bench/genmachine.sh) enrolled with a
# real mamori-collector on loopback, and measures, from /proc:
#   - resident memory (VmRSS, and its anonymous part) after the start round
#     and while idle,
#   - CPU time while idle (it should be none: nothing polls),
#   - CPU time under a load of file events in the folders it watches (most
#     of them names it ignores, some it acts on),
#   - CPU time per round (scan, status files, sign, spool, upload), from
#     forced rounds (SIGHUP),
# and extrapolates to a day with hourly scans. Prints key=value lines and
# PASS/MISS against the targets: under 4 MiB RSS idle, under 1 CPU-second
# per hour with hourly scans. Exits 0 unless it could not measure.
# Not part of `make check`.
set -eu

usage() {
	cat <<EOF
usage: bench/daemon.sh [--seconds N] [--seed N] [--persons N] [--packages N]
                       [--events-per-sec N] [--rounds N] [--min-gap S] [--build DIR]

  --seconds N         length of the idle phase and of the load phase, each (default 30)
  --seed N            genmachine seed (default 1)
  --persons N         person accounts, each with a home folder (default 50)
  --packages N        packages in the dpkg status (default 3000)
  --events-per-sec N  file events per second in the load phase (default 20)
  --rounds N          forced rounds (SIGHUP) to measure the cost of one (default 10)
  --min-gap S         the daemon's --min-gap (default 60, the daemon's own default)
  --build DIR         build folder with mamori and mamori-collector (default build)
EOF
}

seconds=30
seed=1
persons=50
packages=3000
eps=20
rounds=10
min_gap=60
build=build
while [ $# -gt 0 ]; do
	case "$1" in
	--seconds) seconds=${2:?}; shift 2 ;;
	--seed) seed=${2:?}; shift 2 ;;
	--persons) persons=${2:?}; shift 2 ;;
	--packages) packages=${2:?}; shift 2 ;;
	--events-per-sec) eps=${2:?}; shift 2 ;;
	--rounds) rounds=${2:?}; shift 2 ;;
	--min-gap) min_gap=${2:?}; shift 2 ;;
	--build) build=${2:?}; shift 2 ;;
	-h|--help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
done
target_rss_kib=4096
target_cpu_s_per_hour=1

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
make -s BUILD="$build" "$build/mamori" "$build/mamori-collector" >&2
mamori=$top/$build/mamori
coll=$top/$build/mamori-collector

tmp=$(mktemp -d)
cpid=""
dpid=""
trap 'kill $dpid $cpid 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

# the machine, with home folders holding the desktop settings it watches
sh bench/genmachine.sh --seed "$seed" --packages "$packages" --persons "$persons" \
    "$tmp/m" >/dev/null
awk -F: '$3 >= 1000 && $3 < 60000 { print $6 }' "$tmp/m/etc/passwd" | while read -r h; do
	mkdir -p "$tmp/m$h/.config/dconf" "$tmp/m$h/.config/xfce4/xfconf/xfce-perchannel-xml"
done

# a collector on loopback, and the PC enrolled with it
printf 'listen = 127.0.0.1\nport = 0\ndatabase = %s\n' "$tmp/c.db" >"$tmp/c.conf"
"$coll" --config "$tmp/c.conf" facility add bench >/dev/null
token=$("$coll" --config "$tmp/c.conf" token create --facility 1 --uses 1)
"$coll" --config "$tmp/c.conf" serve >"$tmp/c.log" 2>&1 &
cpid=$!
i=0
while [ $i -lt 100 ] && ! grep -q 'listening on' "$tmp/c.log" 2>/dev/null; do sleep 0.05; i=$((i + 1)); done
port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$tmp/c.log" | head -n 1)
"$mamori" enroll --server "http://127.0.0.1:$port" --token "$token" \
    --state-dir "$tmp/state" >/dev/null
stored() { sqlite3 "$tmp/c.db" "SELECT count(*) FROM reports;"; }

mkdir -p "$tmp/run"
"$mamori" daemon --root "$tmp/m" --state-dir "$tmp/state" --status-dir "$tmp/run/users" \
    --min-gap "$min_gap" --verbose 2>"$tmp/d.log" &
dpid=$!
i=0
while [ $i -lt 600 ] && [ "$(stored)" -lt 1 ]; do sleep 0.05; i=$((i + 1)); done
[ "$(stored)" -ge 1 ] || { echo "bench: the daemon's first report never arrived" >&2; cat "$tmp/d.log" >&2; exit 1; }
sleep 1

hz=$(getconf CLK_TCK)
# cpu: the daemon's user+system time in clock ticks, with that of its
# rounds (children it has waited for: cutime, cstime)
cpu() { awk '{ print $14 + $15 + $16 + $17 }' "/proc/$dpid/stat"; }
kib() { awk -v k="$1" '$1 == k":" { print $2 }' "/proc/$dpid/status"; }
secs() { awk -v t="$1" -v hz="$hz" 'BEGIN { printf "%.3f", t / hz }'; }

echo "machine_seed=$seed"
echo "machine_persons=$persons"
echo "machine_packages=$packages"
echo "watched_folders=$(sed -n 's/.*watching \([0-9]*\) folders.*/\1/p' "$tmp/d.log" | tail -n 1)"
echo "rss_kib_after_start=$(kib VmRSS)"
echo "hwm_kib_after_start=$(kib VmHWM)"

# --- idle ------------------------------------------------------------------
c0=$(cpu)
sw0=$(awk '/ctxt_switches/ { s += $2 } END { print s }' "/proc/$dpid/status")
sleep "$seconds"
c1=$(cpu)
sw1=$(awk '/ctxt_switches/ { s += $2 } END { print s }' "/proc/$dpid/status")
echo "idle_seconds=$seconds"
idle_ticks=$((c1 - c0))
echo "idle_cpu_s=$(secs "$idle_ticks")"
echo "idle_wakeups=$((sw1 - sw0))"
rss_idle=$(kib VmRSS)
echo "rss_kib_idle=$rss_idle"
echo "rss_anon_kib_idle=$(kib RssAnon)"
echo "rss_file_kib_idle=$(kib RssFile)"

# --- a load of file events ---------------------------------------------------
# per second: eps events; one in ten a file the daemon acts on (a person's
# dconf database, login.defs rewritten), the rest names it ignores
# (editor droppings in /etc, other files in ~/.config)
homes=$(awk -F: '$3 >= 1000 && $3 < 60000 { print $6 }' "$tmp/m/etc/passwd" | head -n 20)
r0=$(stored)
c0=$(cpu)
end=$(( $(date +%s) + seconds ))
k=0
while [ "$(date +%s)" -lt "$end" ]; do
	for h in $homes; do
		k=$((k + 1))
		if [ $((k % 10)) -eq 0 ]; then
			printf 'x' >"$tmp/m$h/.config/dconf/user"
		else
			printf 'x' >"$tmp/m$h/.config/noise-$((k % 7))"
			printf 'x' >"$tmp/m/etc/noise.$((k % 5))"
		fi
		[ $((k % eps)) -eq 0 ] && sleep 1 && break
	done
done
c1=$(cpu)
r1=$(stored)
echo "load_seconds=$seconds"
echo "load_events=$k"
echo "load_rounds=$((r1 - r0))"
load_ticks=$((c1 - c0))
echo "load_cpu_s=$(secs "$load_ticks")"
echo "rss_kib_after_load=$(kib VmRSS)"
sleep 2

# --- the cost of one round -----------------------------------------------------
r0=$(stored)
c0=$(cpu)
j=0
while [ $j -lt "$rounds" ]; do
	kill -HUP "$dpid"
	i=0
	while [ $i -lt 400 ] && [ "$(stored)" -lt $((r0 + j + 1)) ]; do sleep 0.05; i=$((i + 1)); done
	j=$((j + 1))
done
sleep 0.5
c1=$(cpu)
per_round=$(awk -v t=$((c1 - c0)) -v n="$rounds" -v hz="$hz" 'BEGIN { printf "%.4f", t / hz / n }')
echo "rounds=$rounds"
echo "rounds_delivered=$(( $(stored) - r0 ))"
echo "cpu_s_per_round=$per_round"
echo "hwm_kib=$(kib VmHWM)"
rss_after=$(kib VmRSS)
echo "rss_kib_idle_after_rounds=$rss_after"

# --- a day ------------------------------------------------------------------------
# hourly: one round an hour, idle in between (at the idle phase's rate)
per_hour=$(awk -v r="$per_round" -v t="$idle_ticks" -v s="$seconds" -v hz="$hz" \
    'BEGIN { printf "%.4f", r + t / hz / s * 3600 }')
echo "cpu_s_per_hour_hourly=$per_hour"
echo "cpu_s_per_day_hourly=$(awk -v h="$per_hour" 'BEGIN { printf "%.3f", h * 24 }')"
echo "cpu_s_per_day_under_constant_load=$(awk -v t="$load_ticks" -v s="$seconds" -v hz="$hz" \
    'BEGIN { printf "%.3f", t / hz / s * 86400 }')"
rss=$rss_idle
[ "$rss_after" -gt "$rss" ] && rss=$rss_after
verdict() { if [ "$1" -eq 1 ]; then echo PASS; else echo MISS; fi; }
echo "target_rss_kib_idle=$target_rss_kib $(verdict "$(awk -v r="$rss" -v t="$target_rss_kib" 'BEGIN { print (r < t) }')") ($rss)"
echo "target_cpu_s_per_hour=$target_cpu_s_per_hour $(verdict "$(awk -v c="$per_hour" -v t="$target_cpu_s_per_hour" 'BEGIN { print (c < t) }')") ($per_hour)"
kill -TERM "$dpid"
wait "$dpid" || true
dpid=""
