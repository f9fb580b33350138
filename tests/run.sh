#!/bin/sh
# Runs every test of the given build folders and ends with one line,
# "N passed, N failed", over all of them. Each test speaks TAP ("ok N - …"
# / "not ok N - …"): cmocka through CMOCKA_MESSAGE_OUTPUT=TAP, the e2e
# scripts by hand. A program that dies without saying "not ok" counts as
# one failure. Usage: tests/run.sh BUILD [BUILD…]; the folder whose name
# holds "fuzz" replays each fuzzer's corpus instead.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
passed=0
failed=0
skipped=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# run NAME CMD…: runs one test program, counts its TAP lines.
run() {
	name=$1
	shift
	"$@" >"$log" 2>&1
	rc=$?
	# A skipped test ("ok N # SKIP why") proved nothing: it is counted
	# apart, never as passed.
	s=$(grep -c '^ok [^#]*# *[Ss][Kk][Ii][Pp]' "$log")
	p=$(($(grep -c '^ok ' "$log") - s))
	f=$(grep -c '^not ok ' "$log")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "not ok - $name exited with status $rc without reporting a failure"
	fi
	if [ "$f" -gt 0 ]; then
		echo "--- $name: $f failed"
		sed 's/^/    /' "$log" | tail -n 60
	elif [ "$s" -gt 0 ]; then
		echo "--- $name: $p passed, $s skipped"
		grep '^ok [^#]*# *[Ss][Kk][Ii][Pp]' "$log" | sed 's/^/    /' | head -n 10
	else
		echo "--- $name: $p passed"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
}

for b in "$@"; do
	case "$b" in
	*fuzz*)
		for fz in "$top/$b"/fuzz/fuzz_*; do
			[ -x "$fz" ] || continue
			n=$(basename "$fz")
			corpus="$top/tests/fuzz/corpus/${n#fuzz_}"
			run "$b/$n (corpus replay)" sh -c \
			    "'$fz' -runs=0 '$corpus' >/dev/null 2>&1 && echo 'ok 1 - $n replays its corpus' || { echo 'not ok 1 - $n crashed on its corpus'; '$fz' -runs=0 '$corpus' 2>&1 | tail -n 30; }"
		done
		;;
	*)
		for t in "$top/$b"/tests/test_*; do
			[ -x "$t" ] || continue
			run "$b/$(basename "$t")" env CMOCKA_MESSAGE_OUTPUT=TAP \
			    MAMORI_TOP="$top" "$t"
		done
		for s in "$top"/tests/e2e/*.sh; do
			[ -f "$s" ] || continue
			run "$b/e2e/$(basename "$s")" env MAMORI_TOP="$top" \
			    MAMORI_BUILD="$top/$b" sh "$s"
		done
		;;
	esac
done
[ "$skipped" -gt 0 ] && echo "($skipped skipped: listed above, counted neither way)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
