#!/bin/sh
# Runs every fuzzer of a build for a while on its corpus and prints one line
# per fuzzer: "ok NAME: EXECS execs, cov N, ft N, corpus N" or "CRASH NAME: …".
# Usage: tests/fuzz/run.sh BUILD SECONDS (BUILD as made by
# `make BUILD=build-fuzz CC=clang FUZZ=1 fuzzers`).
#
# The corpus in git (tests/fuzz/corpus/NAME/) is only read: libFuzzer writes
# what it discovers into the first corpus folder it is given, so that is a
# temporary one, removed at the end. Crash, leak and timeout inputs are kept
# in BUILD/crashes/ for replay: BUILD/fuzz/fuzz_NAME BUILD/crashes/FILE.
# Exits 1 if any fuzzer crashed, leaked, hung or did not run.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:?usage: tests/fuzz/run.sh BUILD SECONDS}
seconds=${2:?usage: tests/fuzz/run.sh BUILD SECONDS}
case "$build" in /*) ;; *) build="$top/$build" ;; esac
crashes="$build/crashes"
mkdir -p "$crashes"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
status=0
found=0

for fz in "$build"/fuzz/fuzz_*; do
	[ -x "$fz" ] || continue
	found=1
	n=$(basename "$fz")
	name=${n#fuzz_}
	corpus="$top/tests/fuzz/corpus/$name"
	mkdir -p "$corpus" "$tmp/$name"
	log="$tmp/$name.log"
	# -timeout: an input that takes 10 s is a hang, and a hang is a bug
	# (a scan must finish). -print_final_stats gives the exec count.
	"$fz" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
	    -artifact_prefix="$crashes/$n-" "$tmp/$name" "$corpus" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
	ft=$(grep -o 'ft: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
	units=$(grep -o 'corp: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
	if [ "$rc" -eq 0 ]; then
		echo "ok $n: ${execs:-?} execs in ${seconds}s, cov ${cov:-?}, ft ${ft:-?}, corpus ${units:-?}"
	else
		status=1
		art=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
		echo "CRASH $n (exit $rc) after ${execs:-?} execs: ${art:-no artifact}"
		{
			grep -E '==[0-9]+==ERROR|^ERROR: libFuzzer' "$log" | head -n 1
			grep -E '^    #[0-3] ' "$log" | head -n 4
			grep '^SUMMARY' "$log" | head -n 1
			[ -n "$art" ] && echo "replay: $fz $art"
		} | sed 's/^/    /'
	fi
done
if [ "$found" -eq 0 ]; then
	echo "no fuzzers in $build/fuzz; build them first" >&2
	exit 1
fi
exit "$status"
