#!/bin/sh
# e2e: `mamori notify` on a real D-Bus session bus (dbus-run-session), with
# tests/tools/notify-recorder as the desktop's notification server,
# recording every org.freedesktop.Notifications.Notify call it receives.
# The status file is the one the real daemon writes for the noncompliant
# fixture machine. Checked: the text in Japanese and in English (the
# policy's words, the steps), a second notification only when the problems
# change, a reminder after a day and not before (the clock is MAMORI_NOW),
# "all fixed" once, nothing from another person's status file, and the
# watching notifier reacting to the daemon's rewrite of the file.
# Speaks TAP. Run by tests/run.sh with MAMORI_TOP and MAMORI_BUILD.
set -u
top=${MAMORI_TOP:?MAMORI_TOP must name the source tree}
build=${MAMORI_BUILD:?MAMORI_BUILD must name the build folder}
mamori=$build/mamori
rec=$build/tools/notify-recorder

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
check() { if [ "$1" = "$2" ]; then ok "$3"; else notok "$3 (got \"$1\", expected \"$2\")"; fi; }
has() { if printf '%s' "$1" | grep -qF -- "$2"; then ok "$3"; else notok "$3 (no \"$2\" in: $(printf '%s' "$1" | head -c 300))"; fi; }
finish() { echo "1..$n"; [ "$failed" -eq 0 ]; exit $?; }

if [ "${1:-}" != "--in-session" ]; then
	for tool in dbus-run-session jq; do
		command -v "$tool" >/dev/null 2>&1 ||
		    { notok "$tool is installed (scripts/deps.sh installs it)"; finish; }
	done
	[ -x "$rec" ] || { notok "$rec is built (make tests)"; finish; }
	if [ "$(id -u)" -ne 0 ]; then
		# the daemon writes files for the fixture's people, which needs root
		echo "ok 1 # SKIP needs root (the daemon chowns the fixture's status files)"
		echo "1..1"
		exit 0
	fi
	exec dbus-run-session -- sh "$0" --in-session
fi

# --- inside the session ----------------------------------------------------
tmp=$(mktemp -d)
rpid=""
wpid=""
trap 'kill $rpid $wpid 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP PIPE

got=$tmp/notifications.jsonl
: >"$got"
"$rec" "$got" >"$tmp/rec.out" 2>&1 &
rpid=$!
i=0
while [ $i -lt 100 ] && ! grep -q ready "$tmp/rec.out" 2>/dev/null; do sleep 0.05; i=$((i + 1)); done
if grep -q ready "$tmp/rec.out"; then
	ok "the test notification server owns org.freedesktop.Notifications on the session bus"
else
	notok "the test notification server starts"; sed 's/^/#   /' "$tmp/rec.out"; finish
fi

# The daemon's own status files for the noncompliant machine (root is a
# person there, uid 0: us).
ws=$tmp/ws
st=$tmp/users
sh "$top/tests/fixtures/instantiate.sh" "$top/tests/fixtures/noncompliant" "$ws"
timeout -s TERM 20 "$mamori" daemon --root "$ws" --status-dir "$st" \
    --state-dir "$tmp/not-enrolled" >"$tmp/daemon.log" 2>&1 &
dpid=$!
i=0
while [ $i -lt 200 ] && [ ! -f "$st/0.json" ]; do sleep 0.05; i=$((i + 1)); done
kill -TERM "$dpid" 2>/dev/null
wait "$dpid"
check "$?" 0 "the daemon wrote the status files and stopped cleanly on SIGTERM"
[ -f "$st/0.json" ] || { notok "0.json exists"; sed 's/^/#   /' "$tmp/daemon.log"; finish; }
cp "$st/0.json" "$tmp/problems.json"
nproblems=$(jq '[.items[] | select(.verdict == "fail" and .severity == "required")] | length' "$tmp/problems.json")

count() { wc -l <"$got" | tr -d ' '; }
last() { tail -n 1 "$got" | jq -r ".$1"; }
# notify_at EPOCH LANG [STATEHOME]: one look at the status, as the session would
bad_runs=0
notify_at() {
	env MAMORI_NOW="$1" LANG="$2" LC_ALL= LC_MESSAGES= LANGUAGE= \
	    XDG_STATE_HOME="${3:-$tmp/state-ja}" "$mamori" notify --once --status-dir "$st" \
	    >"$tmp/notify.out" 2>&1 || bad_runs=$((bad_runs + 1))
	grep -q 'Sanitizer\|runtime error' "$tmp/notify.out" && bad_runs=$((bad_runs + 1))
	return 0
}
# put FILE: the daemon's way to replace a status file (temp, rename)
put() { cp "$1" "$st/.0.json.tmp" && chmod 600 "$st/.0.json.tmp" && mv "$st/.0.json.tmp" "$st/0.json"; }

t0=1790000000
day=86400

# --- Japanese --------------------------------------------------------------
notify_at $t0 ja_JP.UTF-8
check "$(count)" 1 "a problem: one notification"
s=$(last summary); b=$(last body)
check "$s" "mamori: この PC で直すことが ${nproblems} 件あります" "the summary is Japanese and counts the problems ($nproblems)"
has "$b" "「情報機器に対して起動時パスワード(英数混合 8 文字以上)を設定すること。" "the body quotes article 16(1) in the policy's own words"
has "$b" "直し方: " "the body gives the steps, introduced in Japanese"
has "$b" "autologin.conf" "the steps name the file to change on this PC"
has "$b" "(PC 全体のことです。事業所の IT 担当者が直せます。)" "a PC-wide problem says who can fix it"
has "$b" "…ほかに $((nproblems - 3)) 件あります。" "the rest are counted, not dropped silently (3 shown of $nproblems)"
check "$(last app)" "mamori" "app_name is mamori"
check "$(last timeout)" 0 "a problem stays on screen until dismissed (timeout 0)"
check "$(last urgency)" 1 "urgency is normal"
first_id=1

notify_at $((t0 + 3600)) ja_JP.UTF-8
check "$(count)" 1 "an hour later, the same problems: no new notification"
notify_at $((t0 + day - 60)) ja_JP.UTF-8
check "$(count)" 1 "a minute short of a day: still none"
notify_at $((t0 + day)) ja_JP.UTF-8
check "$(count)" 2 "a day later: one reminder"
has "$(last summary)" "再通知 — mamori:" "the reminder says it is one"
check "$(last replaces_id)" "$first_id" "the reminder replaces the earlier bubble (replaces_id)"
notify_at $((t0 + day + 60)) ja_JP.UTF-8
check "$(count)" 2 "no second reminder the same day"

# one problem fixed: the status changes
jq '.items |= [.[] | select(.check != "account.no_autologin")]' "$tmp/problems.json" >"$tmp/fewer.json"
put "$tmp/fewer.json"
notify_at $((t0 + day + 120)) ja_JP.UTF-8
check "$(count)" 3 "the problems changed: notified again at once"
check "$(last summary)" "mamori: この PC で直すことが $((nproblems - 1)) 件あります" "with the new count"
notify_at $((t0 + day + 180)) ja_JP.UTF-8
check "$(count)" 3 "and not again while nothing changes"

# --- English ---------------------------------------------------------------
put "$tmp/problems.json"
notify_at $t0 en_US.UTF-8 "$tmp/state-en"
check "$(count)" 4 "a session in English: its own notification"
check "$(last summary)" "mamori: ${nproblems} thing(s) to fix on this PC" "the summary is English"
has "$(last body)" "\"Set a start-up password (at least 8 characters, letters and digits mixed) on every device." "the body quotes article 16(1) in English"
has "$(last body)" "How to fix: " "the steps are introduced in English"
notify_at $t0 C "$tmp/state-c"
check "$(last summary)" "mamori: ${nproblems} thing(s) to fix on this PC" "the C locale is English"

# --- everything fixed -------------------------------------------------------
jq '.items = [] | .verdict = "pass"' "$tmp/problems.json" >"$tmp/fixed.json"
put "$tmp/fixed.json"
before=$(count)
notify_at $((t0 + 2 * day)) ja_JP.UTF-8
check "$(count)" $((before + 1)) "all fixed: one notification"
check "$(last summary)" "mamori: すべて解決しました" "that says so in Japanese"
check "$(last timeout)" -1 "and goes away by itself"
notify_at $((t0 + 3 * day)) ja_JP.UTF-8
notify_at $((t0 + 5 * day)) ja_JP.UTF-8
check "$(count)" $((before + 1)) "said once: nothing more while all stays fixed"
notify_at $((t0 + 5 * day)) ja_JP.UTF-8 "$tmp/state-new"
check "$(count)" $((before + 1)) "a session that never saw a problem is not told it was fixed"

# --- another person's status -------------------------------------------------
before=$(count)
rm -f "$st/0.json"
jq '.uid = 1000' "$tmp/problems.json" >"$st/1000.json"
chown 1000 "$st/1000.json"; chmod 600 "$st/1000.json"
notify_at $t0 ja_JP.UTF-8 "$tmp/state-other"
check "$(count)" "$before" "only uid 1000 has problems: nothing is shown to uid 0"
# uid 1000's file under our name
cp "$st/1000.json" "$st/0.json"; chown 1000 "$st/0.json"
notify_at $t0 ja_JP.UTF-8 "$tmp/state-other"
check "$(count)" "$before" "a file named for us but owned by uid 1000 is not believed"
has "$(cat "$tmp/notify.out")" "is not a status file of uid 0" "and the notifier says why"
rm -f "$st/0.json"
ln -s 1000.json "$st/0.json"
notify_at $t0 ja_JP.UTF-8 "$tmp/state-other"
check "$(count)" "$before" "a symlink to another person's file is not followed"
rm -f "$st/0.json" "$st/1000.json"

# --- the watching notifier ----------------------------------------------------
put "$tmp/fewer.json"
env MAMORI_NOW=$t0 LANG=en_US.UTF-8 LC_ALL= LANGUAGE= XDG_STATE_HOME="$tmp/state-watch" \
    "$mamori" notify --status-dir "$st" >"$tmp/watch.out" 2>&1 &
wpid=$!
before=$(count)
wait_count() {
	i=0
	while [ $i -lt 100 ] && [ "$(count)" -lt "$1" ]; do sleep 0.05; i=$((i + 1)); done
	count
}
check "$(wait_count $((before + 1)))" $((before + 1)) "started in a session: shows the current problems"
env MAMORI_NOW=$t0 LANG=en_US.UTF-8 LC_ALL= LANGUAGE= XDG_STATE_HOME="$tmp/state-watch" \
    timeout 5 "$mamori" notify --status-dir "$st" >"$tmp/second.out" 2>&1
check "$?" 0 "a second notifier in the same session (autostart and the user unit) exits at once"
has "$(cat "$tmp/second.out")" "already running" "saying why"
put "$tmp/problems.json"
check "$(wait_count $((before + 2)))" $((before + 2)) "the daemon replaces the file: the change is shown at once (inotify)"
check "$(last summary)" "mamori: ${nproblems} thing(s) to fix on this PC" "with the new content"
put "$tmp/problems.json"
sleep 0.5
check "$(count)" $((before + 2)) "the same content rewritten: nothing new"
sw() { awk '/ctxt_switches/ { s += $2 } END { print s }' "/proc/$wpid/status"; }
s0=$(sw); sleep 1.5
check "$(( $(sw) - s0 ))" 0 "waiting for the next change or reminder, it is not woken once"
put "$tmp/fixed.json"
check "$(wait_count $((before + 3)))" $((before + 3)) "fixed: said at once"
kill -TERM "$wpid"
wait "$wpid"
check "$?" 0 "the notifier stops cleanly on SIGTERM"
wpid=""
check "$bad_runs" 0 "every mamori notify --once exited 0, without a sanitizer report"
finish
