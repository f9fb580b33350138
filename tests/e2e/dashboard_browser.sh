#!/bin/sh
# The dashboard in a real browser: Debian's Chromium (never a downloaded
# one), driven by playwright-core from npm, which this script installs into
# tests/browser/node_modules when missing. Starts a seeded collector on a
# free loopback port and runs tests/browser/dashboard.test.mjs, which
# prints TAP and saves screenshots under BUILD/screenshots/.
set -u
top=${MAMORI_TOP:?}
build=${MAMORI_BUILD:?}
coll="$build/mamori-collector"
chromium=/usr/bin/chromium

for tool in node npm curl openssl jq; do
	command -v $tool >/dev/null || { echo "not ok 1 - $tool is missing (make deps)"; exit 1; }
done
[ -x "$chromium" ] || { echo "not ok 1 - $chromium is missing (make deps installs Debian's chromium)"; exit 1; }
if [ ! -f "$top/tests/browser/node_modules/playwright-core/package.json" ]; then
	(cd "$top/tests/browser" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund \
	    --loglevel=error </dev/null >&2) ||
	    { echo "not ok 1 - npm could not install playwright-core (tests/browser/package-lock.json)"; exit 1; }
fi

tmp=$(mktemp -d)
pid=""
stop_collector() {
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	pid=""
}
trap 'stop_collector; [ -n "${KEEP:-}" ] && echo "# kept $tmp" || rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP PIPE

. "$top/tests/browser/seed.sh"
seed_start_collector
seed_dashboard

# No terminal, no display: Chromium runs headless; HOME in the scratch
# folder so that it writes nothing of the user's.
BASE=$base SHOTS="$build/screenshots" PW=$seed_pw DEV_RECEPTION=$dev_reception \
    DEV_HOUMON=$dev_houmon DEV_SCRIPT=$dev_script HOME="$tmp" \
    timeout 300 node "$top/tests/browser/dashboard.test.mjs" </dev/null
rc=$?
stop_collector
exit $rc
