#!/bin/sh
# bench/dashboard.sh: how long a real mamori-collector takes to answer the
# dashboard's API calls over a region's data (issue 6): 500 facilities,
# 20,000 devices, 90 days of one report a day per device. Builds the
# collector and bench/dashfill.c, lets the collector make an empty database
# (its own migrations), fills it (bench/dashfill.c, prepared statements in
# one transaction a day), adds an association and a facility administrator
# with `mamori-collector admin add --password-stdin`, starts
# `mamori-collector serve` on loopback, logs in through the API
# (POST /api/v1/session: cookie and CSRF token) and times --requests
# requests of each call over one keep-alive connection (curl,
# time_starttransfer: request sent -> first byte of the answer, which the
# collector sends only when the whole JSON is built):
#
#   overview   GET /api/v1/overview              (the overview page)
#   facility   GET /api/v1/facilities/ID         (the facility page, with
#   tokens     GET /api/v1/facilities/ID/tokens   the next call)
#   device     GET /api/v1/devices/DEVICE_ID     (the device page)
#
# as the association administrator, and the facility, tokens and device
# calls again as the facility's own administrator. ID is the largest
# facility (a hospital), DEVICE_ID its device with the longest history.
# Prints key=value lines, p50/p99 in ms and PASS/MISS against the targets
# (overview p99 < 100 ms, the others < 30 ms). Exits 0 when measured,
# 1 when it could not measure, 2 on usage. Not part of `make check`.
#
#   sh bench/dashboard.sh [--build DIR] [--requests N] [--facilities N]
#       [--devices N] [--days N] [--seed N] [--keep DIR] [--db FILE]
#
# --keep DIR: make the database in DIR (new) and keep it; --db FILE: measure
# an existing database that an earlier --keep made (no fill).
set -eu

build=build requests=200 facilities=500 devices=20000 days=90 seed=1 keep= reuse=
while [ $# -gt 0 ]; do
	case "$1" in
	--build) build=${2:?}; shift 2 ;;
	--requests) requests=${2:?}; shift 2 ;;
	--facilities) facilities=${2:?}; shift 2 ;;
	--devices) devices=${2:?}; shift 2 ;;
	--days) days=${2:?}; shift 2 ;;
	--seed) seed=${2:?}; shift 2 ;;
	--keep) keep=${2:?}; shift 2 ;;
	--db) reuse=${2:?}; shift 2 ;;
	-h|--help) sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "dashboard.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
	esac
done
for t in curl jq sqlite3; do
	command -v $t >/dev/null 2>&1 || {
		echo "dashboard.sh: needs $t (Debian: apt-get install $t)" >&2; exit 1; }
done

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
case "$build" in /*) ;; *) build=$top/$build ;; esac
make -s BUILD="$build" "$build/mamori-collector" "$build/mamori" \
    "$build/locale/ja/LC_MESSAGES/mamori.mo" >&2
mkdir -p "$build/bench"
# shellcheck disable=SC2046
${CC:-cc} -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -o "$build/bench/dashfill" \
    bench/dashfill.c $(pkg-config --cflags --libs sqlite3)
coll=$build/mamori-collector

if [ -n "$keep" ]; then
	mkdir "$keep"
	dir=$(cd "$keep" && pwd)
else
	dir=$(mktemp -d "${TMPDIR:-/tmp}/mamori-dashboard.XXXXXX")
fi
pid=
cleanup() {
	if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || :; wait "$pid" 2>/dev/null || :; fi
	if [ -z "$keep" ]; then rm -rf "$dir"; fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

db=$dir/collector.db
[ -z "$reuse" ] || db=$(cd "$(dirname "$reuse")" && pwd)/$(basename "$reuse")
cat >"$dir/collector.conf" <<EOF
listen = 127.0.0.1
port = 0
database = $db
dashboard_dir = $top/dashboard
EOF
conf=$dir/collector.conf
echo "cpus=$(nproc)"
echo "loadavg_before=$(cut -d' ' -f1-3 /proc/loadavg)"

if [ -z "$reuse" ]; then
	# An older report's row (2.1 KB) takes a 4 KB page of its own:
	# 7.4 GB for the issue's 1.8 million.
	need=$((devices * days * 43 / 10 / 1024 + 500))
	avail=$(df -Pm "$dir" | awk 'NR == 2 { print $4 }')
	if [ "$avail" -lt "$need" ]; then
		echo "dashboard.sh: $dir has $avail MB free, the database needs about $need MB" >&2
		exit 1
	fi
	# The report bodies: real scans of the fixture machines, one variant of
	# each check per verdict (pass: compliant, fail: noncompliant, unknown
	# and not_applicable: gnome where it has them, else made from pass).
	for m in compliant noncompliant gnome; do
		sh tests/fixtures/instantiate.sh "tests/fixtures/$m" "$dir/root-$m" >/dev/null
		p=
		[ ! -f "tests/fixtures/$m/policy.json" ] || p="--policy tests/fixtures/$m/policy.json"
		# shellcheck disable=SC2086
		"$build/mamori" scan --root "$dir/root-$m" $p --format json >"$dir/$m.json" || :
		rm -rf "$dir/root-$m"
	done
	jq -r --slurpfile nc "$dir/noncompliant.json" --slurpfile gn "$dir/gnome.json" '
	    def made(v; reason; ev): .verdict = v | .findings = [{"subject": "system",
	        "verdict": v, "reason": reason, "evidence": ev, "remediation": null}];
	    ("header\t-\t" + (del(.checks, .verdict, .summary) | tojson)),
	    (.checks[] | . as $p |
	      ($nc[0].checks[] | select(.id == $p.id)) as $f |
	      ([$gn[0].checks[] | select(.id == $p.id)][0]) as $g |
	      "\(.id)\tpass\t\($p | tojson)",
	      "\(.id)\tfail\t\($f | tojson)",
	      "\(.id)\tunknown\t\(if $g.verdict == "unknown" then $g else $p | made("unknown";
	          "file_unreadable"; {"detail": "/etc/login.defs: permission denied"}) end | tojson)",
	      "\(.id)\tnot_applicable\t\(if $g.verdict == "not_applicable" then $g else $p |
	          made("not_applicable"; null; {}) end | tojson)")' \
	    "$dir/compliant.json" >"$dir/variants.tsv"

	# The schema: the collector's own migrations, as at its first start.
	"$coll" --config "$conf" facility list >/dev/null
	"$build/bench/dashfill" --db "$db" --variants "$dir/variants.tsv" --facilities "$facilities" \
	    --devices "$devices" --days "$days" --seed "$seed"
	printf 'Bench-assoc-2026\n' | "$coll" --config "$conf" admin add --role association \
	    --password-stdin bench-association >/dev/null
	printf 'Bench-facility-2026\n' | "$coll" --config "$conf" admin add --role facility \
	    --facility 1 --password-stdin bench-facility1 >/dev/null
fi
echo "db_bytes=$(( $(stat -c %s "$db") + $( [ -f "$db-wal" ] && stat -c %s "$db-wal" || echo 0) ))"
# Row counts; the measured facility (the largest) and its device with the
# longest history.
sqlite3 "$db" "SELECT 'db_reports=' || count(*) FROM reports;
    SELECT 'db_check_state=' || count(*) FROM check_state;
    SELECT 'db_check_changes=' || count(*) FROM check_changes;"
fac=$(sqlite3 "$db" "SELECT facility_id FROM devices WHERE retired_at IS NULL
    GROUP BY facility_id ORDER BY count(*) DESC, facility_id LIMIT 1")
dev=$(sqlite3 "$db" "SELECT d.device_id FROM devices d JOIN check_changes c ON c.device = d.id
    WHERE d.facility_id = $fac AND d.retired_at IS NULL GROUP BY d.id
    ORDER BY count(*) DESC, d.id LIMIT 1")
echo "facility_id=$fac"
echo "facility_devices=$(sqlite3 "$db" "SELECT count(*) FROM devices
    WHERE facility_id = $fac AND retired_at IS NULL")"
echo "device_id=$dev"
echo "device_changes=$(sqlite3 "$db" "SELECT count(*) FROM check_changes c JOIN devices d
    ON d.id = c.device WHERE d.device_id = '$dev'")"
echo "device_reports=$(sqlite3 "$db" "SELECT count(*) FROM reports r JOIN devices d
    ON d.id = r.device WHERE d.device_id = '$dev'")"

: >"$dir/collector.log"
"$coll" --config "$conf" serve 2>"$dir/collector.log" &
pid=$!
port=
i=0
while [ $i -lt 600 ]; do
	port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$dir/collector.log" | head -n 1)
	[ -z "$port" ] || break
	kill -0 "$pid" 2>/dev/null || { cat "$dir/collector.log" >&2; pid=; exit 1; }
	sleep 0.1
	i=$((i + 1))
done
[ -n "$port" ] || { echo "dashboard.sh: the collector did not start" >&2; exit 1; }
base=http://127.0.0.1:$port/api/v1

# login NAME PASSWORD JAR: the session cookie in JAR.
login() {
	out=$(curl -sS -c "$3" -H 'Content-Type: application/json' \
	    -d "{\"name\":\"$1\",\"password\":\"$2\"}" "$base/session")
	echo "$out" | jq -e '.csrf' >/dev/null || {
		echo "dashboard.sh: login as $1 failed: $out" >&2; exit 1; }
}

# measure LABEL JAR PATH TARGET_MS: REQUESTS timed requests after 5 not
# timed ones, all on one keep-alive connection.
measure() {
	n=$((requests + 5))
	: >"$dir/curl.cfg"
	k=0
	while [ $k -lt $n ]; do
		printf 'url = "%s"\noutput = "/dev/null"\n' "$base/$3" >>"$dir/curl.cfg"
		k=$((k + 1))
	done
	curl -sS -b "$2" -K "$dir/curl.cfg" -w '%{http_code} %{time_starttransfer}\n' \
	    >"$dir/times" || { echo "dashboard.sh: curl failed for $3" >&2; exit 1; }
	bad=$(awk '$1 != 200' "$dir/times" | head -n 1)
	[ -z "$bad" ] || { echo "dashboard.sh: $3 answered $bad" >&2; exit 1; }
	size=$(curl -sS -b "$2" "$base/$3" | wc -c)
	tail -n +6 "$dir/times" | awk '{ printf "%.3f\n", $2 * 1000 }' | sort -n |
	    awk -v l="$1" -v t="$4" -v b="$size" '{ v[NR] = $1 }
	    END {
		p50 = v[int((NR * 50 + 99) / 100)]; p99 = v[int((NR * 99 + 99) / 100)]
		printf "%s_bytes=%d\n%s_ms_p50=%.2f\n%s_ms_p99=%.2f\n%s_ms_max=%.2f\n", l, b, l, p50, l, p99, l, v[NR]
		printf "%s_target_p99_ms=%d %s\n", l, t, p99 < t ? "PASS" : "MISS"
	    }'
}

echo "requests=$requests"
login bench-association Bench-assoc-2026 "$dir/jar-assoc"
measure overview "$dir/jar-assoc" overview 100
measure facility "$dir/jar-assoc" "facilities/$fac" 30
measure tokens "$dir/jar-assoc" "facilities/$fac/tokens" 30
measure device "$dir/jar-assoc" "devices/$dev" 30
login bench-facility1 Bench-facility-2026 "$dir/jar-fac"
measure facility_admin_overview "$dir/jar-fac" overview 100
measure facility_admin_facility "$dir/jar-fac" "facilities/$fac" 30
measure facility_admin_tokens "$dir/jar-fac" "facilities/$fac/tokens" 30
measure facility_admin_device "$dir/jar-fac" "devices/$dev" 30
echo "loadavg_after=$(cut -d' ' -f1-3 /proc/loadavg)"
[ -z "$keep" ] || echo "kept=$dir" >&2
