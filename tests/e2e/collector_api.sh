#!/bin/sh
# The collector's API as an agent and an administrator meet it: a real
# mamori-collector on a free loopback port, a facility and tokens made
# with its command line, and curl speaking docs/protocol.md with reports
# signed by openssl (Ed25519, as the agent signs them). After every
# refusal the database must be byte-for-byte what it was before.
# Ends with a TLS start. Every wait is bounded; the collector is stopped
# on any exit. KEEP=1 keeps the temporary folder (database, log) to look at.
set -u
top=${MAMORI_TOP:?}
build=${MAMORI_BUILD:?}
coll="$build/mamori-collector"
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
nok() { n=$((n + 1)); echo "not ok $n - $1"; }
check() { if eval "$1"; then ok "$2"; else nok "$2"; fi; }

tmp=$(mktemp -d)
pid=""
stop_collector() {
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		pid=""
		return 1
	fi
	wait "$pid"
	rc=$?
	pid=""
	return $rc
}
trap 'stop_collector; [ -n "${KEEP:-}" ] && echo "# kept $tmp" || rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

for tool in curl openssl sqlite3 jq; do
	command -v $tool >/dev/null || { echo "not ok 1 - $tool is missing (make deps)"; exit 1; }
done
[ -x "$coll" ] || { echo "not ok 1 - $coll is not built"; exit 1; }

db="$tmp/collector.db"
conf="$tmp/collector.conf"
log="$tmp/collector.log"
cat >"$conf" <<EOF
# e2e: loopback, any free port, a small report limit
listen = 127.0.0.1
port = 0
database = $db
max_report_bytes = 64K
max_enroll_bytes = 4K
threads = 2
busy_timeout_ms = 300
EOF
C() { "$coll" --config "$conf" "$@"; }

# start_collector CONF LOG: sets pid and port, or fails after 10 s.
start_collector() {
	"$coll" --config "$1" serve 2>"$2" &
	pid=$!
	port=""
	i=0
	while [ -z "$port" ] && [ $i -lt 100 ] && kill -0 "$pid" 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
		port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' "$2")
	done
	[ -n "$port" ]
}

# --- configuration and administration -----------------------------------
C --check-config >/dev/null 2>&1
check '[ $? -eq 0 ]' "--check-config accepts a good configuration (exit 0)"
printf 'port = 8443\nprot = 1\n' >"$tmp/bad.conf"
"$coll" --config "$tmp/bad.conf" --check-config 2>"$tmp/err"
rc=$?
check '[ $rc -eq 2 ] && grep -q "bad.conf:2: unknown key \"prot\"" "$tmp/err"' \
    "--check-config refuses an unknown key with its line (exit 2)"
C no-such-verb >/dev/null 2>&1
check '[ $? -eq 2 ]' "an unknown verb is a usage error (exit 2)"
C token create >/dev/null 2>&1
check '[ $? -eq 2 ]' "token create without --facility is a usage error (exit 2)"
C token --help | grep -q "token create --facility ID"
check '[ $? -eq 0 ]' "every verb has --help"

fac=$(C facility add "松原クリニック" | cut -f1)
check '[ "$fac" = 1 ]' "facility add prints the new id"
C facility list | grep -q "^1	松原クリニック	0	"
check '[ $? -eq 0 ]' "facility list shows the facility"
t1=$(C token create --facility "$fac" 2>/dev/null)
t2=$(C token create --facility "$fac" --uses 2 --expires 12h 2>/dev/null)
texp=$(MAMORI_COLLECTOR_NOW=$(($(date +%s) - 86400)) C token create --facility "$fac" --expires 1h 2>/dev/null)
trev=$(C token create --facility "$fac" --expires 30m 2>/dev/null)
check 'echo "$t1" | grep -Eq "^mt1_[A-Za-z0-9_-]{43}$"' "token create prints a token: mt1_ + 43 base64url characters"
C token revoke 4
check '[ $? -eq 0 ]' "token revoke"
C token revoke 99 2>/dev/null
check '[ $? -eq 1 ]' "revoking an unknown token fails (exit 1)"
C token list >"$tmp/tokens"
check '! grep -q "${t1#mt1_}" "$tmp/tokens" && grep -q "	expired$" "$tmp/tokens" && grep -q "	revoked$" "$tmp/tokens"' \
    "token list never shows a token, and shows expired and revoked ones"
check '[ "$(sqlite3 "$db" "SELECT count(*) FROM tokens WHERE length(sha256) = 32")" = 4 ] &&
    ! sqlite3 "$db" .dump | grep -q "${t1#mt1_}"' "the database keeps only SHA-256 hashes of tokens"

# --- the server ------------------------------------------------------------
if ! start_collector "$conf" "$log"; then
	nok "the collector starts and says where it listens"
	sed 's/^/# /' "$log"
	exit 1
fi
ok "the collector starts on a free port ($port) and logs \"listening on 127.0.0.1:$port\""
base="http://127.0.0.1:$port"

# req METHOD PATH BODYFILE [curl args…]: sets $status; the answer is in $tmp/resp.
req() {
	m=$1 p=$2 f=$3
	shift 3
	status=$(curl -s -o "$tmp/resp" -w '%{http_code}' --max-time 10 -X "$m" \
	    -H 'Content-Type: application/json' ${f:+--data-binary @"$f"} "$@" "$base$p")
}
err_key() { jq -r .error "$tmp/resp" 2>/dev/null; }
dump() { sqlite3 "$db" .dump >"$1"; }
# refused NAME STATUS KEY: the last answer was STATUS {"error": KEY, "message": …}
# and the database is as dumped in $tmp/before.
refused() {
	dump "$tmp/after"
	msg=$(jq -r .message "$tmp/resp" 2>/dev/null)
	if [ "$status" = "$2" ] && [ "$(err_key)" = "$3" ] && [ -n "$msg" ] && [ "$msg" != null ] &&
	    cmp -s "$tmp/before" "$tmp/after"; then
		ok "$1: $2 $3, database unchanged"
	else
		nok "$1: got $status $(cat "$tmp/resp"), want $2 $3"
		diff "$tmp/before" "$tmp/after" | head -n 10 | sed 's/^/# /'
	fi
}

req GET /api/v1/health ""
check '[ "$status" = 200 ] && [ "$(jq -r .status "$tmp/resp")" = ok ]' "GET /api/v1/health answers {\"status\":\"ok\"}"

dump "$tmp/before"
req GET /api/v1/nothing ""
refused "an unknown path" 404 not_found
req GET /api/v1/reports "" -D "$tmp/headers"
refused "GET on the reports API" 405 method_not_allowed
check 'grep -qi "^Allow: POST" "$tmp/headers"' "a 405 names the method the path takes"
req POST /api/v1/health "" -D "$tmp/headers"
refused "POST on the health API" 405 method_not_allowed
check 'grep -qi "^Allow: GET, HEAD" "$tmp/headers"' "health takes GET and HEAD"

# Keys made the way the agent makes them: Ed25519, the 32 raw bytes in base64.
for k in 1 2 3; do
	openssl genpkey -algorithm ed25519 -out "$tmp/key$k.pem" 2>/dev/null
done
pub() { openssl pkey -in "$tmp/key$1.pem" -pubout -outform DER | tail -c 32 | base64; }
enroll_body() { # TOKEN KEYNUM HOST
	printf '{"token":"%s","public_key":"%s","device":{"hostname":"%s","os":{"id":"debian","version":"12"},"machine_id":"0f5c2a8e9d4b4c1e8a7f3b2d1c0e9f8a","agent_version":"0.1.0"}}' \
	    "$1" "$(pub "$2")" "$3" >"$tmp/enroll.json"
}

printf '{"token":' >"$tmp/enroll.json"
req POST /api/v1/enroll "$tmp/enroll.json"
refused "enrollment with a body that is not JSON" 400 bad_request
printf '{"token":"%s","public_key":"c2hvcnQ=","device":{}}' "$t1" >"$tmp/enroll.json"
req POST /api/v1/enroll "$tmp/enroll.json"
refused "enrollment with a key that is not 32 bytes" 400 bad_request

enroll_body "$t1" 1 reception-pc
req POST /api/v1/enroll "$tmp/enroll.json"
dev1=$(jq -r .device_id "$tmp/resp" 2>/dev/null)
check '[ "$status" = 201 ] && echo "$dev1" | grep -Eq "^dev_[0-9a-f]{32}$" &&
    [ "$(jq -r .facility.id "$tmp/resp")" = 1 ] && [ "$(jq -r .facility.name "$tmp/resp")" = 松原クリニック ]' \
    "enrollment with a valid token: 201 with device_id and facility"
check '[ "$(sqlite3 "$db" "SELECT uses_left FROM tokens WHERE id = 1")" = 0 ] &&
    [ "$(sqlite3 "$db" "SELECT public_key FROM devices WHERE device_id = '"'$dev1'"'")" = "$(pub 1)" ]' \
    "the device is stored with its public key and the token's use is spent"

dump "$tmp/before"
enroll_body "$t1" 3 other-pc
req POST /api/v1/enroll "$tmp/enroll.json"
refused "a used-up token" 403 token_invalid
enroll_body "$texp" 3 other-pc
req POST /api/v1/enroll "$tmp/enroll.json"
refused "an expired token" 403 token_invalid
enroll_body "$trev" 3 other-pc
req POST /api/v1/enroll "$tmp/enroll.json"
refused "a revoked token" 403 token_invalid
enroll_body "mt1_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" 3 other-pc
req POST /api/v1/enroll "$tmp/enroll.json"
refused "an unknown token" 403 token_invalid
enroll_body "not-a-token" 3 other-pc
req POST /api/v1/enroll "$tmp/enroll.json"
refused "a string that is no token" 403 token_invalid

enroll_body "$t2" 2 nurse-pc
req POST /api/v1/enroll "$tmp/enroll.json"
dev2=$(jq -r .device_id "$tmp/resp" 2>/dev/null)
check '[ "$status" = 201 ] && [ "$dev2" != "$dev1" ]' "a second device enrolls with a two-use token"

# --- reports -----------------------------------------------------------------
# report FILE DEVICE SEQ VERDICT: a report as the agent sends it. The marker
# in a finding must never reach the log.
report() {
	printf '{"schema":"mamori.report/1","agent":{"name":"mamori","version":"0.1.0"},"device_id":"%s","sequence":%s,"spool":{"dropped":0},"generated_at":"2026-11-24T09:30:00Z","policy":{"id":"matsunet-2020-04","sha256":"3c74"},"verdict":"%s","summary":{"pass":1,"fail":1,"not_applicable":0,"unknown":0},"checks":[{"id":"account.password_set","article":"16-1","severity":"required","verdict":"pass","findings":[]},{"id":"account.password_changed","article":"15-3","severity":"required","verdict":"%s","findings":[{"subject":"secret-marker-alice","verdict":"%s","reason":"too_old","evidence":{"days":400,"max":60},"remediation":"change_password"}]}]}' \
	    "$2" "$3" "$4" "$5" "$5" >"$1"
}
sign() { openssl pkeyutl -sign -rawin -inkey "$tmp/key$1.pem" -in "$2" | base64 -w0; }
# send FILE DEVICE SIGNATURE
send() { req POST /api/v1/reports "$1" -H "X-Mamori-Device: $2" -H "X-Mamori-Signature: $3"; }

report "$tmp/r1.json" "$dev1" 1 noncompliant fail
send "$tmp/r1.json" "$dev1" "$(sign 1 "$tmp/r1.json")"
check '[ "$status" = 201 ] && [ "$(jq -r .status "$tmp/resp")" = stored ] && [ "$(jq -r .sequence "$tmp/resp")" = 1 ]' \
    "a report signed with the device's key: 201 stored"

dump "$tmp/before"
send "$tmp/r1.json" "$dev1" "$(sign 1 "$tmp/r1.json")"
dump "$tmp/after"
check '[ "$status" = 200 ] && [ "$(jq -r .status "$tmp/resp")" = duplicate ] && cmp -s "$tmp/before" "$tmp/after"' \
    "a byte-identical retry: 200 duplicate, nothing stored twice"

report "$tmp/r2.json" "$dev1" 2 compliant pass
send "$tmp/r2.json" "$dev1" "$(sign 1 "$tmp/r2.json")"
check '[ "$status" = 201 ]' "the next sequence: 201"
check '[ "$(sqlite3 "$db" "SELECT since_sequence || verdict FROM check_state WHERE check_id = '"'account.password_changed'"'")" = 2pass ] &&
    [ "$(sqlite3 "$db" "SELECT count(*) FROM check_changes")" = 3 ]' \
    "the state per check follows, with the change in the device's history"
check '[ "$(sqlite3 "$db" "SELECT hex(body) FROM reports WHERE sequence = 2")" = "$(od -An -tx1 "$tmp/r2.json" | tr -d " \n" | tr a-f A-F)" ]' \
    "the stored body is the exact signed bytes"

dump "$tmp/before"
send "$tmp/r1.json" "$dev1" "$(sign 1 "$tmp/r1.json")"
refused "an older sequence" 409 sequence_replayed
report "$tmp/r3.json" "$dev1" 3 compliant pass
sig3=$(sign 1 "$tmp/r3.json")
sed 's/"verdict":"compliant"/"verdict":"unknown"/' "$tmp/r3.json" >"$tmp/r3-forged.json"
send "$tmp/r3-forged.json" "$dev1" "$sig3"
refused "a body altered after signing" 401 bad_signature
send "$tmp/r3.json" "$dev1" "$(sign 2 "$tmp/r3.json")"
refused "a report signed by another device's key" 401 bad_signature
send "$tmp/r3.json" "$dev1" "not base64!"
refused "a signature that is not base64" 401 bad_signature
send "$tmp/r3.json" "dev_00000000000000000000000000000000" "$sig3"
refused "an unknown device" 401 unknown_device
req POST /api/v1/reports "$tmp/r3.json" -H "X-Mamori-Device: $dev1"
refused "no signature header" 400 bad_request
printf '{"schema":"mamori.report/1","sequence":' >"$tmp/bad.json"
send "$tmp/bad.json" "$dev1" "$(sign 1 "$tmp/bad.json")"
refused "a body that is not JSON" 400 bad_request
report "$tmp/other.json" "$dev2" 3 compliant pass
send "$tmp/other.json" "$dev1" "$(sign 1 "$tmp/other.json")"
refused "device_id in the body differs from the header" 400 device_mismatch
head -c 100000 /dev/zero | tr '\0' ' ' >"$tmp/big.json"
send "$tmp/big.json" "$dev1" "$sig3" -H 'Expect: 100-continue'
refused "a body over max_report_bytes" 413 too_large
head -c 5000 /dev/zero | tr '\0' ' ' >"$tmp/big.json"
req POST /api/v1/enroll "$tmp/big.json"
refused "an enrollment over max_enroll_bytes" 413 too_large

# The database locked by another program for longer than busy_timeout_ms:
# 503, nothing stored; the same report goes through once the lock is gone.
report "$tmp/d1.json" "$dev2" 1 compliant pass
sig_d1=$(sign 2 "$tmp/d1.json")
{ echo "BEGIN IMMEDIATE;"; sleep 2; echo "ROLLBACK;"; } | sqlite3 "$db" &
locker=$!
sleep 0.5
dump "$tmp/before"
send "$tmp/d1.json" "$dev2" "$sig_d1"
refused "the database locked by another program" 503 storage_unavailable
wait $locker
send "$tmp/d1.json" "$dev2" "$sig_d1"
check '[ "$status" = 201 ]' "the same report is stored once the lock is released"
check 'grep -q "503 storage_unavailable: .*database is locked" "$log"' \
    "the log says what failed in the database"

C device retire "$dev1"
check '[ $? -eq 0 ]' "device retire"
dump "$tmp/before"
send "$tmp/r3.json" "$dev1" "$sig3"
refused "a report of a retired device" 401 unknown_device
C device list >"$tmp/devices"
check 'grep -q "^$dev1	1	reception-pc	.*	2	compliant	retired$" "$tmp/devices" &&
    grep -q "^$dev2	1	nurse-pc	.*	active$" "$tmp/devices"' "device list shows each device's last report and state"
C device history "$dev1" | grep -q "account.password_changed	fail	pass	2"
check '[ $? -eq 0 ]' "device history shows when a check changed verdict"

# --- the log -----------------------------------------------------------------
check 'grep -q "enrolled $dev1 (host \"reception-pc\") in facility 1" "$log"' "an enrollment is logged"
check 'grep -q "refused report .*device $dev1: 401 bad_signature" "$log" &&
    grep -q "refused enrollment .*: 403 token_invalid" "$log"' "each refusal is logged with the device and the reason"
check '! grep -q "secret-marker-alice" "$log"' "no report contents in the log"
check '[ "$(grep -c "refused" "$log")" -ge 20 ] && [ "$(grep -vc "refused\|enrolled\|listening\|stopp" "$log")" = 0 ]' \
    "one line per refusal and enrollment, quiet otherwise"

# The backup of docs/collector.md, taken while the collector serves.
sqlite3 "$db" "VACUUM INTO '$tmp/backup.db'" 2>"$tmp/err"
check '[ "$(sqlite3 "$tmp/backup.db" "PRAGMA integrity_check")" = ok ] &&
    [ "$(sqlite3 "$tmp/backup.db" "SELECT count(*) FROM reports")" = 3 ]' \
    "an online backup (VACUUM INTO) is complete and consistent"

stop_collector
check '[ $? -eq 0 ] && grep -q "stopped" "$log"' "SIGTERM stops the collector cleanly (exit 0)"

# --- HTTPS -------------------------------------------------------------------
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=127.0.0.1" \
    -addext "subjectAltName=IP:127.0.0.1" -keyout "$tmp/tls.key" -out "$tmp/tls.crt" 2>/dev/null
cat >"$tmp/tls.conf" <<EOF
port = 0
database = $db
tls_cert = $tmp/tls.crt
tls_key = $tmp/tls.key
EOF
if start_collector "$tmp/tls.conf" "$tmp/tls.log"; then
	s=$(curl -s -o "$tmp/resp" -w '%{http_code}' --max-time 10 --cacert "$tmp/tls.crt" \
	    "https://127.0.0.1:$port/api/v1/health")
	check '[ "$s" = 200 ] && grep -q "(https," "$tmp/tls.log"' "with tls_cert and tls_key the collector speaks HTTPS"
	s=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "http://127.0.0.1:$port/api/v1/health")
	check '[ "$s" != 200 ]' "and no plain HTTP on that port"
	stop_collector
	check '[ $? -eq 0 ]' "the HTTPS collector stops cleanly"
else
	nok "the collector starts with TLS"
	sed 's/^/# /' "$tmp/tls.log"
fi
printf 'listen = 0.0.0.0\nport = 0\n' >"$tmp/open.conf"
"$coll" --config "$tmp/open.conf" --check-config 2>"$tmp/err"
check '[ $? -eq 2 ] && grep -q "without TLS" "$tmp/err"' "plain HTTP on a non-loopback address is refused"
