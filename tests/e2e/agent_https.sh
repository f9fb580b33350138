#!/bin/sh
# e2e: TLS between agent and collector, pinned to the CA given at
# enrollment. A CA and server certificate are made with openssl at test
# time (SAN 127.0.0.1 and localhost); the collector serves them; the agent
# enrolls with --ca and reports. Then the collector serves a certificate
# from another CA, as an impostor would: the agent must refuse it (TLS
# error, nothing stored, the report stays spooled) and deliver it once the
# right certificate is back. Speaks TAP; run by tests/run.sh.
set -u
top=${MAMORI_TOP:?MAMORI_TOP must name the source tree}
build=${MAMORI_BUILD:?MAMORI_BUILD must name the build folder}
mamori=$build/mamori
coll=$build/mamori-collector

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
skip() { n=$((n + 1)); echo "ok $n # SKIP $*"; }
check() { if [ "$1" = "$2" ]; then ok "$3"; else notok "$3 (got \"$1\", expected \"$2\")"; fi; }
diag() { sed -n '1,30s/^/#   /p' "$1"; }
finish() { echo "1..$n"; [ "$failed" -eq 0 ]; exit $?; }
skip_all() {
	for what in "enroll over https with --ca" "report over https" \
	    "a certificate from another CA is refused" "delivered once the right certificate is back"; do
		skip "$1 ($what)"
	done
	finish
}

for tool in sqlite3 jq openssl; do
	command -v "$tool" >/dev/null 2>&1 || { notok "$tool is installed (scripts/deps.sh)"; finish; }
done
[ -x "$mamori" ] || { notok "$mamori exists (run make)"; finish; }
[ -x "$coll" ] || skip_all "collector not built"

tmp=$(mktemp -d)
cpid=""
stop_collector() {
	if [ -n "$cpid" ]; then
		kill "$cpid" 2>/dev/null
		wait "$cpid" 2>/dev/null
		cpid=""
	fi
}
trap 'stop_collector; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP PIPE

# --- certificates -----------------------------------------------------------
# mkca NAME: a self-signed CA; mkcert NAME CA: a server certificate for
# 127.0.0.1 and localhost signed by CA.
mkca() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -keyout "$tmp/$1.key" -out "$tmp/$1.pem" -days 2 -subj "/CN=mamori test $1" \
	    >>"$tmp/openssl.log" 2>&1
}
mkcert() {
	printf 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$tmp/ext.cnf"
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -keyout "$tmp/$1.key" -out "$tmp/$1.csr" -subj "/CN=127.0.0.1" >>"$tmp/openssl.log" 2>&1 &&
	openssl x509 -req -in "$tmp/$1.csr" -CA "$tmp/$2.pem" -CAkey "$tmp/$2.key" \
	    -CAcreateserial -days 2 -extfile "$tmp/ext.cnf" -out "$tmp/$1.pem" >>"$tmp/openssl.log" 2>&1
}
if mkca ca1 && mkca ca2 && mkcert srv1 ca1 && mkcert srv2 ca2; then
	ok "openssl made two CAs and a server certificate from each"
else
	notok "openssl made two CAs and a server certificate from each"
	diag "$tmp/openssl.log"
	finish
fi

db=$tmp/collector.db
port=0
# start_collector CERT: serves https with CERT (srv1 or srv2) on $port.
start_collector() {
	printf 'listen = 127.0.0.1\nport = %s\ndatabase = %s\ntls_cert = %s\ntls_key = %s\n' \
	    "$port" "$db" "$tmp/$1.pem" "$tmp/$1.key" >"$tmp/collector.conf"
	"$coll" --config "$tmp/collector.conf" serve >"$tmp/coll.log" 2>&1 &
	cpid=$!
	i=0
	while [ $i -lt 100 ]; do
		if grep -q 'listening on' "$tmp/coll.log"; then
			port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$tmp/coll.log" | head -n 1)
			return 0
		fi
		kill -0 "$cpid" 2>/dev/null || break
		sleep 0.05
		i=$((i + 1))
	done
	cpid=""
	return 1
}
stored() { sqlite3 "$db" "SELECT sequence FROM reports ORDER BY id;" | tr '\n' ' '; }
devices() { sqlite3 "$db" "SELECT count(*) FROM devices;"; }

if ! start_collector srv1; then
	reason=$(grep -o 'tls_[a-z_]*\|no TLS support[^;]*\|unknown key[^;]*' "$tmp/coll.log" | head -n 1)
	skip_all "the collector does not serve TLS yet${reason:+: $reason}"
fi
if ! grep -q 'https' "$tmp/coll.log"; then
	stop_collector
	skip_all "the collector does not say it serves https"
fi
ok "the collector serves https on 127.0.0.1:$port"
conf=$tmp/collector.conf
"$coll" --config "$conf" facility add "Clinic TLS" >/dev/null 2>&1
token=$("$coll" --config "$conf" token create --facility 1 --uses 3 2>"$tmp/err")
[ -n "$token" ] || { notok "token create"; diag "$tmp/err"; finish; }
url=https://127.0.0.1:$port
ws=$tmp/ws
sh "$top/tests/fixtures/instantiate.sh" "$top/tests/fixtures/compliant" "$ws"

# --- refusals before anything is stored ---------------------------------------
MAMORI_STATE_DIR=$tmp/insecure "$mamori" enroll --server "http://192.0.2.1:8080" \
    --token "$token" >"$tmp/out" 2>&1
check "$?" 2 "plain http:// to another host is refused at enrollment (exit 2)"
if [ -e "$tmp/insecure/device.json" ]; then notok "and nothing is enrolled"; else ok "and nothing is enrolled"; fi
MAMORI_STATE_DIR=$tmp/wrongca "$mamori" enroll --server "$url" --token "$token" \
    --ca "$tmp/ca2.pem" >"$tmp/out" 2>&1
check "$?" 4 "enrolling with the wrong CA fails (exit 4)"
if grep -qi 'certificate' "$tmp/out"; then ok "and names the certificate"; else notok "and names the certificate"; diag "$tmp/out"; fi
check "$(devices)" 0 "and the collector stored no device"
if [ -e "$tmp/wrongca/device.json" ] || ls "$tmp/wrongca" | grep -q '\.key$'; then
	notok "and the agent kept no enrollment or key"
else
	ok "and the agent kept no enrollment or key"
fi

# --- enroll and report over https ------------------------------------------------
export MAMORI_STATE_DIR="$tmp/state"
"$mamori" enroll --server "$url" --token "$token" --ca "$tmp/ca1.pem" >"$tmp/out" 2>&1
rc=$?
check "$rc" 0 "mamori enroll --ca over https exits 0"
[ "$rc" -eq 0 ] || { diag "$tmp/out"; finish; }
cafile=$(jq -r .ca_file "$MAMORI_STATE_DIR/device.json")
if cmp -s "$MAMORI_STATE_DIR/$cafile" "$tmp/ca1.pem"; then ok "the CA is pinned: a copy is in the state folder"; else notok "the CA is pinned: a copy is in the state folder"; fi
rm -f "$tmp/ca1.pem.gone"
mv "$tmp/ca1.pem" "$tmp/ca1.pem.gone"	# the agent uses its own copy from now on
"$mamori" report --root "$ws" >"$tmp/out" 2>&1
rc=$?
case $rc in 0|1|3) ok "mamori report over https exits with the scan's code ($rc)" ;;
	*) notok "mamori report over https exits with the scan's code (got $rc)"; diag "$tmp/out" ;; esac
check "$(stored)" "1 " "the collector stored report 1"
MAMORI_STATE_DIR=$tmp/byname "$mamori" enroll --server "https://localhost:$port" \
    --token "$token" --ca "$tmp/ca1.pem.gone" >"$tmp/out" 2>&1
check "$?" 0 "enrolling by the name localhost works too (SAN DNS:localhost)"

# --- an impostor's certificate --------------------------------------------------
stop_collector
start_collector srv2 || { notok "the collector restarts with the other certificate"; diag "$tmp/coll.log"; finish; }
"$mamori" report --root "$ws" >"$tmp/out" 2>"$tmp/err"
check "$?" 4 "a certificate from another CA: mamori report exits 4"
sed -n '1s/^/# /p' "$tmp/err"
if grep -qi 'certificate' "$tmp/err"; then ok "stderr says the certificate was refused"; else notok "stderr says the certificate was refused"; diag "$tmp/err"; fi
check "$(stored)" "1 " "nothing was stored"
check "$(ls "$MAMORI_STATE_DIR/spool" | grep -c '^[0-9]*$')" 1 "the report stays spooled"
stop_collector
start_collector srv1 || { notok "the collector restarts with its own certificate"; diag "$tmp/coll.log"; finish; }
"$mamori" upload >"$tmp/out" 2>&1
rc=$?
check "$rc" 0 "with the right certificate back, mamori upload exits 0"
[ "$rc" -eq 0 ] || { diag "$tmp/out"; diag "$tmp/coll.log"; }
check "$(stored)" "1 2 " "and report 2 arrived"
stop_collector
finish
