# seed.sh: fills a running collector with what the dashboard tests look
# at, through the same doors as in real life — facilities, tokens and
# administrators with the command line, devices enrolled over HTTP with
# Ed25519 keys made as the agent makes them, and reports that are the
# agent's own `mamori scan --format json` of the fixture machines, signed
# and sent as the agent sends them. Sourced by tests/e2e/dashboard_*.sh,
# which set top, build, coll and tmp, then call seed_start_collector (conf,
# log, pid, port, base) and seed_dashboard; it sets the variables
# it names below (dev_reception, dev_script, …) and fails with a message.
#
# Facility 1 松原クリニック: reception-pc (noncompliant, reports 1, 2 and 5:
#   a gap of two, and 2 dropped), nurse-pc (compliant), a PC whose host
#   name is <script> markup (noncompliant), silent-pc (enrolled, no report).
# Facility 2 まつばら訪問看護ステーション: houmon-pc (noncompliant).
# Facility 3 空の施設: nothing.
# Administrators: assoc (association), fac1 (facility 1), fac2 (facility 2),
#   each with password $seed_pw.

seed_pw=Matsu2026net
seed_fail() { echo "not ok 1 - seeding the collector: $1"; exit 1; }

# seed_start_collector [CONFIG LINES]: a collector on a free loopback port
# with a database in $tmp and the dashboard of the tree, the given lines
# added to its configuration; sets conf, log, pid, port and base.
seed_start_collector() {
	conf="$tmp/collector.conf"
	log="$tmp/collector.log"
	printf 'listen = 127.0.0.1\nport = 0\ndatabase = %s\ndashboard_dir = %s\nthreads = 2\n%s' \
	    "$tmp/collector.db" "$top/dashboard" "${1:+$1
}" >"$conf"
	"$coll" --config "$conf" serve 2>"$log" &
	pid=$!
	port=""
	i=0
	while [ -z "$port" ] && [ $i -lt 100 ] && kill -0 "$pid" 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
		port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' "$log")
	done
	[ -n "$port" ] || { echo "not ok 1 - the collector did not start"; sed 's/^/# /' "$log"; exit 1; }
	base="http://127.0.0.1:$port"
}

seed_C() { "$coll" --config "$conf" "$@"; }

seed_dashboard() {
	seed_C facility add "松原クリニック" >/dev/null &&
	    seed_C facility add "まつばら訪問看護ステーション" >/dev/null &&
	    seed_C facility add "空の施設" >/dev/null || seed_fail "facility add"
	for a in "assoc association" "fac1 facility 1" "fac2 facility 2"; do
		set -- $a
		echo "$seed_pw" | seed_C admin add --role "$2" ${3:+--facility $3} --password-stdin "$1" \
		    >/dev/null || seed_fail "admin add $1"
	done
	seed_t1=$(seed_C token create --facility 1 --uses 10 2>/dev/null) || seed_fail "token create"
	seed_t2=$(seed_C token create --facility 2 --uses 10 2>/dev/null) || seed_fail "token create"
	for m in compliant noncompliant; do
		sh "$top/tests/fixtures/instantiate.sh" "$top/tests/fixtures/$m" "$tmp/ws-$m" >/dev/null ||
		    seed_fail "instantiate $m"
		"$build/mamori" scan --root "$tmp/ws-$m" --format json >"$tmp/scan-$m.json"
		[ -s "$tmp/scan-$m.json" ] || seed_fail "mamori scan of $m"
	done
	# The compliant fixture lacks what a container cannot hold (an
	# antivirus engine running, approved media): nurse-pc stands for a PC
	# that has them, so what the fixture fails becomes a plain pass.
	jq -c '(.checks[] | select(.verdict == "fail")) |= (.verdict = "pass" |
	    .findings = [{subject: "system", verdict: "pass", reason: null, evidence: {}, remediation: null}])
	    | .verdict = (if any(.checks[]; .severity == "required" and .verdict == "fail") then "noncompliant"
	      elif any(.checks[]; .severity == "required" and .verdict == "unknown") then "unknown" else "compliant" end)' \
	    "$tmp/scan-compliant.json" >"$tmp/scan-ok.json" && mv "$tmp/scan-ok.json" "$tmp/scan-compliant.json" ||
	    seed_fail "jq on the compliant scan"
	dev_reception=$(seed_enroll "$seed_t1" reception) || seed_fail "enroll reception-pc"
	dev_nurse=$(seed_enroll "$seed_t1" nurse) || seed_fail "enroll nurse-pc"
	dev_script=$(seed_enroll "$seed_t1" script) || seed_fail "enroll the <script> PC"
	dev_silent=$(seed_enroll "$seed_t1" silent) || seed_fail "enroll silent-pc"
	dev_houmon=$(seed_enroll "$seed_t2" houmon) || seed_fail "enroll houmon-pc"
	seed_report reception "$dev_reception" 1 0 compliant &&
	    seed_report reception "$dev_reception" 2 0 noncompliant &&
	    seed_report reception "$dev_reception" 5 2 noncompliant &&
	    seed_report nurse "$dev_nurse" 1 0 compliant &&
	    seed_report script "$dev_script" 1 0 noncompliant &&
	    seed_report houmon "$dev_houmon" 1 0 noncompliant || seed_fail "sending reports"
}

seed_host() {
	case $1 in
	reception) echo reception-pc ;;
	nurse) echo nurse-pc ;;
	script) echo '<script>document.title="pwned"</script><img src=x onerror=alert(1)>' ;;
	silent) echo silent-pc ;;
	houmon) echo houmon-pc ;;
	esac
}

# seed_enroll TOKEN NAME: prints the new device id.
seed_enroll() {
	openssl genpkey -algorithm ed25519 -out "$tmp/key-$2.pem" 2>/dev/null || return 1
	pub=$(openssl pkey -in "$tmp/key-$2.pem" -pubout -outform DER | tail -c 32 | base64)
	jq -nc --arg t "$1" --arg k "$pub" --arg h "$(seed_host "$2")" \
	    '{token: $t, public_key: $k, device: {hostname: $h, os: {id: "debian", version: "12"},
	      machine_id: "0f5c2a8e9d4b4c1e8a7f3b2d1c0e9f8a", agent_version: "0.1.0"}}' >"$tmp/enroll-$2.json"
	curl -sf --max-time 10 -H 'Content-Type: application/json' \
	    --data-binary @"$tmp/enroll-$2.json" "$base/api/v1/enroll" | jq -er .device_id
}

# seed_report NAME DEVICE SEQUENCE DROPPED compliant|noncompliant
seed_report() {
	jq -c --arg d "$2" --argjson s "$3" --argjson dr "$4" --arg h "$(seed_host "$1")" \
	    '. + {device_id: $d, sequence: $s, spool: {dropped: $dr}} | .device.hostname = $h' \
	    "$tmp/scan-$5.json" >"$tmp/report.json" || return 1
	sig=$(openssl pkeyutl -sign -rawin -inkey "$tmp/key-$1.pem" -in "$tmp/report.json" | base64 -w0)
	code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -H 'Content-Type: application/json' \
	    -H "X-Mamori-Device: $2" -H "X-Mamori-Signature: $sig" --data-binary @"$tmp/report.json" \
	    "$base/api/v1/reports")
	[ "$code" = 201 ]
}
