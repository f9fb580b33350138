#!/bin/sh
# e2e: `mamori daemon` against a fixture machine and a real collector on
# loopback. It reports at start; a changed fixture file (an empty password
# in etc/shadow), a fake USB stick "attached" by writing the fixture's
# sysfs and udev database, a new policy file, and SIGHUP each bring a new
# report, and the people's status files follow. While idle it does not
# wake up at all. Then SIGTERM lands at random moments of scans, again and
# again: the daemon stops cleanly, leaves no half-written file, and every
# report it spooled reaches the collector, in order, exactly once.
# Speaks TAP. Run by tests/run.sh with MAMORI_TOP and MAMORI_BUILD.
# TERMS (default 12) and SEED change the SIGTERM run.
set -u
top=${MAMORI_TOP:?MAMORI_TOP must name the source tree}
build=${MAMORI_BUILD:?MAMORI_BUILD must name the build folder}
mamori=$build/mamori
coll=$build/mamori-collector
terms=${TERMS:-12}
seed=${SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
check() { if [ "$1" = "$2" ]; then ok "$3"; else notok "$3 (got \"$1\", expected \"$2\")"; fi; }
diag() { tail -n 30 "$1" | sed 's/^/#   /'; }
finish() { echo "1..$n"; [ "$failed" -eq 0 ]; exit $?; }

for tool in sqlite3 jq timeout; do
	command -v "$tool" >/dev/null 2>&1 ||
	    { notok "$tool is installed (scripts/deps.sh installs it)"; finish; }
done
if [ "$(id -u)" -ne 0 ]; then
	echo "ok 1 # SKIP needs root (the daemon chowns the fixture's status files)"
	echo "1..1"
	exit 0
fi

tmp=$(mktemp -d)
cpid=""
dpid=""
stop_all() {
	[ -n "$dpid" ] && kill "$dpid" 2>/dev/null && wait "$dpid" 2>/dev/null
	[ -n "$cpid" ] && kill "$cpid" 2>/dev/null && wait "$cpid" 2>/dev/null
	dpid=""; cpid=""
}
trap 'stop_all; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP PIPE

# --- a collector, an enrolled PC ---------------------------------------------
conf=$tmp/collector.conf
db=$tmp/collector.db
printf 'listen = 127.0.0.1\nport = 0\ndatabase = %s\n' "$db" >"$conf"
"$coll" --config "$conf" facility add "松原クリニック" >/dev/null 2>&1
token=$("$coll" --config "$conf" token create --facility 1 --uses 1 2>/dev/null)
"$coll" --config "$conf" --port 0 serve >"$tmp/coll.log" 2>&1 &
cpid=$!
i=0
while [ $i -lt 100 ] && ! grep -q 'listening on' "$tmp/coll.log" 2>/dev/null; do sleep 0.05; i=$((i + 1)); done
port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$tmp/coll.log" | head -n 1)
[ -n "$port" ] || { notok "the collector starts on loopback"; diag "$tmp/coll.log"; finish; }
state=$tmp/state
"$mamori" enroll --server "http://127.0.0.1:$port" --token "$token" --state-dir "$state" \
    >"$tmp/out" 2>&1 || { notok "mamori enroll"; diag "$tmp/out"; finish; }
ok "the collector serves on 127.0.0.1:$port and the PC is enrolled"
dev=$(jq -r .device_id "$state/device.json")

stored() { sqlite3 "$db" "SELECT count(*) FROM reports;"; }
body_of() { sqlite3 "$db" "SELECT body FROM reports ORDER BY id DESC LIMIT 1;"; }
# wait_stored N: waits up to 15 s for the collector to hold N reports
wait_stored() {
	i=0
	while [ $i -lt 300 ] && [ "$(stored)" -lt "$1" ]; do sleep 0.05; i=$((i + 1)); done
	stored
}
verdict_of() { body_of | jq -r --arg c "$1" '.checks[] | select(.id == $c) | .verdict'; }

ws=$tmp/ws
users=$tmp/run/mamori/users
mkdir -p "$tmp/run" "$tmp/pol"
sh "$top/tests/fixtures/instantiate.sh" "$top/tests/fixtures/compliant" "$ws"
printf '{ "id": "clinic-a" }\n' >"$tmp/pol/policy.json"
# start_daemon: starts it and waits until it has its signal handling set up
# (systemd sends no signal before READY=1 either)
start_daemon() {
	started=$(grep -c 'started:' "$tmp/daemon.log")
	"$mamori" daemon --root "$ws" --policy "$tmp/pol/policy.json" --state-dir "$state" \
	    --status-dir "$users" --interval 3600 --splay 0 --event-delay 200 --min-gap 0 \
	    --verbose >>"$tmp/daemon.log" 2>&1 &
	dpid=$!
	i=0
	while [ $i -lt 200 ] && [ "$(grep -c 'started:' "$tmp/daemon.log")" -le "$started" ]; do
		sleep 0.05; i=$((i + 1)); done
}
: >"$tmp/daemon.log"

# --- at start ------------------------------------------------------------------
start_daemon
check "$(wait_stored 1)" 1 "at start: the first report reaches the collector"
check "$(body_of | jq -r '.device_id + " " + .policy.id')" "$dev clinic-a" "signed by this PC, under the policy given"
check "$(verdict_of account.password_set)" pass "account.password_set passes"
check "$(stat -c '%a %u' "$users/1000.json" 2>/dev/null)" "600 1000" "sato's status file is hers (uid 1000) and 0600"
check "$(stat -c '%a %u' "$users/1001.json" 2>/dev/null)" "600 1001" "suzuki's status file is his (uid 1001) and 0600"
check "$(stat -c '%a' "$users")" 755 "the status folder is 0755: each person finds their own file"
check "$(jq -r '.user + " " + (.uid|tostring)' "$users/1000.json")" "sato 1000" "sato's file names her"

# --- idle: no wake-ups ------------------------------------------------------------
sleep 0.5
sw() { awk '/^voluntary_ctxt_switches|^nonvoluntary_ctxt_switches/ { s += $2 } END { print s }' "/proc/$dpid/status"; }
cpu() { awk '{ print $14 + $15 }' "/proc/$dpid/stat"; }
s0=$(sw); c0=$(cpu)
sleep 3
check "$(( $(sw) - s0 ))" 0 "idle for 3 s: the daemon was not woken once (no polling)"
check "$(( $(cpu) - c0 ))" 0 "and used no CPU time"

# --- a changed fixture file ------------------------------------------------------------
before=$(stored)
# sato's password hash removed, the way passwd(1) rewrites the file
sed 's/^sato:[^:]*:/sato::/' "$ws/etc/shadow" >"$ws/etc/shadow+"
mv "$ws/etc/shadow+" "$ws/etc/shadow"
check "$(wait_stored $((before + 1)))" $((before + 1)) "etc/shadow changed: a new report arrives"
check "$(verdict_of account.password_set)" fail "it says account.password_set fails"
i=0
while [ $i -lt 100 ] && ! jq -e '.items[] | select(.check == "account.password_set")' "$users/1000.json" >/dev/null 2>&1; do
	sleep 0.05; i=$((i + 1)); done
check "$(jq -r '.items[] | select(.check == "account.password_set") | .scope + " " + .reason' "$users/1000.json")" \
    "own empty_password" "sato's status file now carries her empty password"
check "$(jq -r '[.items[] | select(.check == "account.password_set")] | length' "$users/1001.json")" 0 \
    "suzuki's does not"

# --- a USB stick attached ------------------------------------------------------------
before=$(stored)
mkdir -p "$ws/run/udev/data" "$tmp/sdb"
printf 'E:ID_BUS=usb\nE:ID_USB_DRIVER=usb-storage\nE:ID_VENDOR=SanDisk\nE:ID_VENDOR_ID=0781\nE:ID_MODEL=Ultra\nE:ID_MODEL_ID=5581\nE:ID_SERIAL_SHORT=4C530001230101115431\n' \
    >"$ws/run/udev/data/b8:16"
printf '8:16\n' >"$tmp/sdb/dev"; printf '60063744\n' >"$tmp/sdb/size"; printf '1\n' >"$tmp/sdb/removable"
mv "$tmp/sdb" "$ws/sys/block/sdb"
check "$(wait_stored $((before + 1)))" $((before + 1)) "a USB stick appears in sysfs: a new report arrives"
i=0
while [ $i -lt 100 ] && [ "$(verdict_of media.removable_approved)" != fail ]; do
	sleep 0.05; i=$((i + 1)); done
check "$(verdict_of media.removable_approved)" fail "it says media.removable_approved fails"
check "$(body_of | jq -r '.checks[] | select(.id == "media.removable_approved") | .findings[0].evidence.vendor_id')" \
    0781 "naming the stick's vendor"
check "$(jq -r '.items[] | select(.check == "media.removable_approved") | .scope' "$users/1001.json")" \
    device "everyone's status shows the stick, as the PC's"

# --- the people at the PC: mamori status, without root -------------------------------
has() { if printf '%s' "$1" | grep -qF -- "$2"; then ok "$3"; else notok "$3 (no \"$2\" in: $(printf '%s' "$1" | head -c 200))"; fi; }
chmod 755 "$tmp" "$tmp/run" "$tmp/run/mamori"
as() { u=$1; shift; setpriv --reuid="$u" --regid="$u" --clear-groups "$@"; }
out=$(as 1000 env LANG=ja_JP.UTF-8 LC_ALL= LANGUAGE= "$mamori" status --status-dir "$users" 2>&1)
check "$?" 1 "sato at a terminal, as herself: mamori status exits 1 (something to fix)"
has "$out" "mamori: sato さんの状態" "in Japanese, naming her"
has "$out" "「情報機器に対して起動時パスワード(英数混合 8 文字以上)を設定すること。" "quoting article 16(1)"
has "$out" "直し方: " "with the steps"
if printf '%s' "$out" | grep -q suzuki; then notok "nothing of suzuki's"; else ok "nothing of suzuki's"; fi
as 1001 cat "$users/1000.json" >/dev/null 2>&1
check "$?" 1 "suzuki cannot read sato's status file"
out=$(as 1001 env LANG=en_US.UTF-8 LC_ALL= LANGUAGE= "$mamori" status --status-dir "$users" 2>&1)
check "$?" 1 "suzuki's own status: something to fix (the USB stick is the PC's)"
has "$out" "Removable storage" "in English, showing the stick"
as 1000 "$mamori" status --all --status-dir "$users" >/dev/null 2>&1
check "$?" 2 "status --all is refused to a person (exit 2)"
out=$("$mamori" status --all --status-dir "$users" 2>&1)
check "$?" 1 "root: status --all exits 1"
has "$out" "mamori status for sato" "and shows sato"
has "$out" "mamori status for suzuki" "and suzuki"

# --- the policy changes; SIGHUP ---------------------------------------------------------
before=$(stored)
printf '{ "id": "clinic-b" }\n' >"$tmp/pol/policy.json+"
mv "$tmp/pol/policy.json+" "$tmp/pol/policy.json"
wait_stored $((before + 1)) >/dev/null
check "$(body_of | jq -r .policy.id)" clinic-b "the policy file changed: reloaded, and a report under it arrives"
before=$(stored)
kill -HUP "$dpid"
check "$(wait_stored $((before + 1)))" $((before + 1)) "SIGHUP: a new report arrives"
printf '{ "id": "clinic-c", "nonsense": 1 }\n' >"$tmp/pol/policy.json"
before=$(stored)
kill -HUP "$dpid"
wait_stored $((before + 1)) >/dev/null
check "$(body_of | jq -r .policy.id)" clinic-b "a broken policy file is refused; the previous one stays in force"
grep -q 'the previous one stays in force' "$tmp/daemon.log" && ok "and the log says so" ||
    notok "and the log says so"
printf '{ "id": "clinic-b" }\n' >"$tmp/pol/policy.json"

# --- SIGTERM during scans --------------------------------------------------------------
kill -TERM "$dpid"
wait "$dpid"
check "$?" 0 "SIGTERM while idle: exit 0"
dpid=""
scan_ms=$(s=$(date +%s%N); "$mamori" scan --root "$ws" >/dev/null 2>&1; echo $(( ($(date +%s%N) - s) / 1000000 )))
echo "# SIGTERM run: seed $seed, $terms stops, a scan takes ${scan_ms} ms"
bad_exit=0; slow=0; halves=0
# stop_once D: start, wait D, SIGHUP (a round), wait D, SIGTERM; check how it ended
stop_once() {
	start_daemon
	sleep "$1"
	kill -HUP "$dpid" 2>/dev/null
	sleep "$1"
	kill -TERM "$dpid"
	t=0
	while kill -0 "$dpid" 2>/dev/null && [ $t -lt 200 ]; do sleep 0.05; t=$((t + 1)); done
	[ $t -ge 200 ] && slow=$((slow + 1))
	wait "$dpid"
	[ $? -eq 0 ] || bad_exit=$((bad_exit + 1))
	dpid=""
	ls -A "$state/spool" "$users" | grep -q '\.tmp$' && halves=$((halves + 1))
	for f in "$users"/*.json; do jq -e .schema "$f" >/dev/null 2>&1 || halves=$((halves + 1)); done
}
landed() { grep -c 'stop asked during the scan' "$tmp/daemon.log"; }
for d in $(awk -v n="$terms" -v t="$scan_ms" -v seed="$seed" 'BEGIN { srand(seed);
    for (i = 0; i < n; i++) printf "%.3f\n", rand() * (t * 1.5 + 5) / 1000 }'); do
	stop_once "$d"
done
# timing is luck: until one stop has landed inside a round, sweep the delay
k=1
while [ "$(landed)" -eq 0 ] && [ $k -le 30 ]; do
	stop_once "$(awk -v t="$scan_ms" -v k="$k" 'BEGIN { printf "%.3f", t * k / 10 / 1000 }')"
	k=$((k + 1))
done
terms=$((terms + k - 1))
if [ "$(landed)" -ge 1 ]; then ok "$(landed) of $terms stops landed during a round"; else notok "a stop landed during a round"; fi
check "$bad_exit" 0 "every SIGTERM ended the daemon with exit 0"
check "$slow" 0 "each within 10 s"
check "$halves" 0 "no half-written file in the spool or the status folder, and every status file parses"
# one more start delivers whatever a stop left in the spool
seq=$(cat "$state/sequence")
start_daemon
wait_stored $((seq + 1)) >/dev/null
kill -TERM "$dpid"; wait "$dpid"; dpid=""
seq=$(cat "$state/sequence")
check "$(stored)" "$seq" "after a clean start, every report ever spooled ($seq) is at the collector"
sqlite3 "$db" "SELECT r.sequence FROM reports r ORDER BY r.id;" >"$tmp/seqs"
check "$(sort -n "$tmp/seqs" | uniq -d | wc -l)" 0 "none twice"
if sort -n -c "$tmp/seqs" 2>/dev/null; then ok "in increasing order"; else notok "in increasing order"; fi
check "$(ls "$state/spool" | wc -l)" 0 "the spool is empty"
check "$(grep -c '^<\|mamori daemon: stopped' "$tmp/daemon.log")" "$((terms + 2))" "each stop was logged"
# --- systemd's side: READY=1, the watchdog, STOPPING=1 ----------------------------
sock=$tmp/notify.sock
"$build/tools/sd-notify-listen" "$sock" >"$tmp/sd.out" 2>&1 &
lpid=$!
i=0
while [ $i -lt 100 ] && ! grep -q ready "$tmp/sd.out" 2>/dev/null; do sleep 0.05; i=$((i + 1)); done
NOTIFY_SOCKET=$sock WATCHDOG_USEC=400000 "$mamori" daemon --root "$ws" --policy "$tmp/pol/policy.json" \
    --state-dir "$state" --status-dir "$users" --interval 3600 --splay 0 2>"$tmp/sd-daemon.log" &
dpid=$!
sleep 1.5
kill -TERM "$dpid"; wait "$dpid"; dpid=""
sleep 0.2
kill "$lpid"; wait "$lpid" 2>/dev/null
check "$(grep -m1 -o 'READY=1' "$tmp/sd.out")" READY=1 "Type=notify: READY=1 reaches NOTIFY_SOCKET"
w=$(grep -c 'WATCHDOG=1' "$tmp/sd.out")
if [ "$w" -ge 3 ]; then ok "WatchdogSec=0.4s: $w WATCHDOG=1 pings in 1.5 s"; else notok "watchdog pings (got $w in 1.5 s)"; fi
check "$(tail -n 1 "$tmp/sd.out" | grep -o 'STOPPING=1')" STOPPING=1 "STOPPING=1 on SIGTERM"

check "$(grep -c 'without a result\|Sanitizer\|runtime error' "$tmp/daemon.log")" 0 \
    "no round failed or crashed (and, in the ASan build, none leaked)"
stop_all
finish
