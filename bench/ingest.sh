#!/bin/sh
# bench/ingest.sh: how many signed reports a second a real mamori-collector
# accepts and makes durable (SQLite, loopback, keep-alive connections), with
# the answers' p50 and p99 latency. Builds build/mamori-collector (make) and
# bench/ingest.c (into BUILD/bench/ingest), then runs ingest with the
# arguments given (see `bench/ingest.sh --help`). Defaults: 1,000 devices
# on 1,000 connections for 10 seconds; target 5,000 reports a second.
# Prints key=value lines; exits as ingest does (0 measured, 1 the
# durability check failed or no run, 2 usage). Not part of `make check`.
set -eu

build=build
case "${1:-}" in
--build) build=${2:?}; shift 2 ;;
esac

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
make -s BUILD="$build" "$build/mamori-collector" >&2
mkdir -p "$build/bench"
# Compiled every time: one file, never stale.
# shellcheck disable=SC2046
${CC:-cc} -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -o "$build/bench/ingest" \
    bench/ingest.c $(pkg-config --cflags --libs jansson libcrypto) -lpthread

case "${1:-}" in
-h|--help) exec "$build/bench/ingest" --help ;;
esac
command -v sqlite3 >/dev/null 2>&1 || {
	echo "ingest.sh: the sqlite3 program counts what is durable; install it (Debian: sqlite3)" >&2
	exit 1
}
echo "cpus=$(nproc)"
echo "loadavg_before=$(cut -d' ' -f1-3 /proc/loadavg)"
exec "$build/bench/ingest" --collector "$build/mamori-collector" "$@"
