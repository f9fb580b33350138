#!/bin/sh
# The dashboard's API without a browser: a real mamori-collector on a free
# loopback port, seeded through its real doors (tests/browser/seed.sh),
# and curl as each kind of administrator. Every endpoint's access rule,
# CSRF, session and password expiry, rate limits, the audit log, the CSV
# exports. After every refusal the stored data (all but the sessions,
# login failures and audit log, which a refusal may add to) must be
# byte-for-byte what they were. KEEP=1 keeps the temporary folder.
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
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	pid=""
}
trap 'stop_collector; [ -n "${KEEP:-}" ] && echo "# kept $tmp" || rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP PIPE

for tool in curl openssl sqlite3 jq; do
	command -v $tool >/dev/null || { echo "not ok 1 - $tool is missing (make deps)"; exit 1; }
done
db="$tmp/collector.db"
. "$top/tests/browser/seed.sh"
seed_start_collector "session_idle_minutes = 15"
seed_dashboard
ok "seeded: 3 facilities, 3 administrators, 5 devices, 6 signed reports of real scans"

# call JAR METHOD PATH [BODY [CSRF]]: sets $status; the answer is in $tmp/resp,
# its headers in $tmp/hdr.
call() {
	jar=$1 m=$2 p=$3 b=${4:-} c=${5:-}
	status=$(curl -s -o "$tmp/resp" -D "$tmp/hdr" -w '%{http_code}' --max-time 20 -X "$m" \
	    -b "$tmp/$jar.jar" -c "$tmp/$jar.jar" ${b:+-H 'Content-Type: application/json'} \
	    ${b:+--data-binary "$b"} ${c:+-H "X-CSRF-Token: $c"} "$base/api/v1/$p")
}
j() { jq -r "$1" "$tmp/resp" 2>/dev/null; }
login() { # JAR NAME PASSWORD: sets csrf
	call "$1" POST session "{\"name\":\"$2\",\"password\":\"$3\"}"
	csrf=$(j .csrf)
}
data() { sqlite3 "$db" ".dump facilities tokens devices reports check_state check_changes admins"; }
# refused NAME STATUS KEY: the last answer and the stored data.
refused() {
	data >"$tmp/after"
	msg=$(j .message)
	if [ "$status" = "$2" ] && [ "$(j .error)" = "$3" ] && [ -n "$msg" ] && [ "$msg" != null ] &&
	    cmp -s "$tmp/before" "$tmp/after"; then
		ok "$1: $2 $3, stored data unchanged"
	else
		nok "$1: got $status $(head -c 300 "$tmp/resp"), want $2 $3"
		diff "$tmp/before" "$tmp/after" | head -n 10 | sed 's/^/# /'
	fi
}
data >"$tmp/before"

# --- without a session ----------------------------------------------------
for p in overview checks facilities facilities/1 facilities/1/tokens devices/$dev_reception \
    export/current.csv "export/history.csv?from=2026-01-01&to=2026-01-02" admins audit session; do
	call anon GET "$p"
	refused "GET $p without a session" 401 not_logged_in
done
for p in facilities facilities/1/tokens tokens/1/revoke devices/$dev_reception/retire admins password; do
	call anon POST "$p" '{}'
	refused "POST $p without a session" 401 not_logged_in
done
call anon GET nothing
refused "an unknown API, before any session check" 404 not_found

# --- logging in ---------------------------------------------------------------
login a assoc wrong-password1
refused "a wrong password" 401 login_failed
login x nobody "$seed_pw"
refused "an unknown name (same answer as a wrong password)" 401 login_failed
call anon POST session "name=assoc&password=$seed_pw"
status=$(curl -s -o "$tmp/resp" -w '%{http_code}' -X POST --data "name=assoc" "$base/api/v1/session")
refused "a login that is not JSON" 415 unsupported_media_type
login a assoc "$seed_pw"
cookie=$(grep -i '^Set-Cookie:' "$tmp/hdr" | tr -d '\r')
check '[ "$status" = 200 ] && [ "$(j .admin.role)" = association ] && [ ${#csrf} -eq 43 ]' \
    "the association administrator logs in: 200, role, a CSRF token"
check 'echo "$cookie" | grep -q "mamori_session=" && echo "$cookie" | grep -q "HttpOnly" &&
    echo "$cookie" | grep -q "SameSite=Strict" && ! echo "$cookie" | grep -q "Secure"' \
    "the session cookie is HttpOnly and SameSite=Strict (not Secure over plain HTTP)"
sid=$(awk '$6 == "mamori_session" {print $7}' "$tmp/a.jar")
check '[ ${#sid} -eq 43 ] && ! sqlite3 "$db" .dump | grep -q "$sid" &&
    [ "$(sqlite3 "$db" "SELECT count(*) FROM sessions WHERE length(sha256) = 32")" -ge 1 ]' \
    "the database keeps only the SHA-256 of a session id"
check '[ "$(sqlite3 "$db" "SELECT password_hash FROM admins WHERE name = '"'assoc'"'" | cut -d"\$" -f1-4)" = "scrypt\$17\$8\$1" ]' \
    "passwords are stored as scrypt hashes (N=2^17, r=8, p=1)"
csrf_a=$csrf

# --- what the association sees ----------------------------------------------
call a GET overview
check '[ "$status" = 200 ] && [ "$(j ".facilities | length")" = 3 ] && [ "$(j ".facilities[0].name")" = 松原クリニック ] &&
    [ "$(j ".facilities[0].totals.noncompliant")" = 2 ] && [ "$(j ".facilities[0].totals.compliant")" = 1 ] &&
    [ "$(j ".facilities[0].totals.silent")" = 1 ] && [ "$(j ".facilities[2].name")" = 空の施設 ]' \
    "overview: every facility, worst first, devices counted compliant/noncompliant/silent"
check '[ "$(j ".facilities[0].articles[\"16-1\"].noncompliant")" = 2 ] && [ "$(j ".articles | index(\"15-3\")")" != null ]' \
    "overview: counts per article (16-1 broken on two devices of facility 1)"
call a GET facilities/1
check '[ "$status" = 200 ] && [ "$(j ".devices | length")" = 4 ] &&
    [ "$(j ".devices[] | select(.hostname == \"reception-pc\") | .state")" = noncompliant ] &&
    [ "$(j ".devices[] | select(.hostname == \"silent-pc\") | .state")" = silent ] &&
    [ "$(j ".devices[] | select(.hostname == \"nurse-pc\") | .agent_version")" = 0.1.0 ] &&
    [ "$(j ".devices[] | select(.hostname == \"reception-pc\") | .failing_articles | index(\"16-1\")")" != null ]' \
    "facility: its devices with state, failing articles and agent version"
call a GET "devices/$dev_reception"
check '[ "$status" = 200 ] && [ "$(j ".gaps[0].after")" = 2 ] && [ "$(j ".gaps[0].missing")" = 2 ] &&
    [ "$(j .dropped_total)" = 2 ] && [ "$(j "[.history[] | select(.from == \"pass\" and .to == \"fail\")] | length")" -ge 1 ]' \
    "device: sequence gap 3-4, 2 dropped reports, and verdict changes from the stored reports"
check '[ -n "$(j "[.checks[] | select(.verdict == \"fail\") | .findings[] | select(.remediation_text != null) | .remediation_text.ja][0] // empty")" ] &&
    [ "$(j "[.checks[] | select(.verdict == \"fail\") | .findings[] | select(.remediation_text != null) | .remediation_text.ja][0]")" != \
      "$(j "[.checks[] | select(.verdict == \"fail\") | .findings[] | select(.remediation_text != null) | .remediation_text.en][0]")" ]' \
    "device: failing findings carry the staff's remediation text, in Japanese and English"
call a GET checks
check '[ "$status" = 200 ] && [ "$(j ".checks | length")" -ge 14 ] && [ "$(j ".checks[0].title.ja")" != "$(j ".checks[0].title.en")" ]' \
    "checks: the table's titles in both languages"

# --- CSRF, content type, bad bodies -------------------------------------------
data >"$tmp/before"
call a POST facilities/1/tokens '{"uses":1}'
refused "a state change without X-CSRF-Token" 403 csrf_failed
call a POST facilities/1/tokens '{"uses":1}' "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
refused "a state change with another CSRF token" 403 csrf_failed
call a DELETE session "" ""
refused "logging out without X-CSRF-Token" 403 csrf_failed
status=$(curl -s -o "$tmp/resp" -w '%{http_code}' -X POST -b "$tmp/a.jar" -H "X-CSRF-Token: $csrf_a" \
    -H 'Content-Type: text/plain' --data '{"uses":1}' "$base/api/v1/facilities/1/tokens")
refused "a body that is not application/json" 415 unsupported_media_type
call a POST facilities/1/tokens '{"uses":' "$csrf_a"
refused "a body that is not JSON" 400 bad_request
call a POST facilities/1/tokens '{"uses":0}' "$csrf_a"
refused "a token for 0 enrollments" 400 bad_uses
call a POST facilities/1/tokens '{"expires":"forever"}' "$csrf_a"
refused "a token lifetime that is no duration" 400 bad_duration
call a POST facilities '{"name":""}' "$csrf_a"
refused "a facility without a name" 400 bad_name
call a POST admins '{"name":"weak","role":"association","password":"short1"}' "$csrf_a"
refused "an administrator with a weak first password" 400 weak_password
call a PUT overview '{}' "$csrf_a"
refused "PUT on the overview" 405 method_not_allowed
call a GET facilities/999
refused "a facility that does not exist" 404 not_found
cp "$tmp/resp" "$tmp/resp-missing"

# --- a facility administrator -----------------------------------------------
login f fac1 "$seed_pw"
csrf_f=$csrf
check '[ "$status" = 200 ] && [ "$(j .admin.facility_id)" = 1 ]' "a facility administrator logs in"
call f GET overview
check '[ "$status" = 200 ] && [ "$(j ".facilities | length")" = 1 ] && [ "$(j ".facilities[0].id")" = 1 ]' \
    "a facility administrator's overview holds the own facility only"
call f GET facilities
check '[ "$(j "[.facilities[].id] | join(\",\")")" = 1 ]' "a facility administrator lists the own facility only"
data >"$tmp/before"
for p in facilities/2 facilities/2/tokens devices/$dev_houmon "export/current.csv?facility=2" \
    "export/history.csv?facility=2&from=2026-01-01&to=2026-12-31"; do
	call f GET "$p"
	refused "fac1 asks for facility 2's $p" 404 not_found
done
call f GET "facilities/2"
check 'cmp -s "$tmp/resp" "$tmp/resp-missing"' "another facility's answer is the very answer for a facility that does not exist"
call f POST facilities/2/tokens '{"uses":1}' "$csrf_f"
refused "fac1 creates a token for facility 2" 404 not_found
call f POST tokens/2/revoke '' "$csrf_f"
status=$(curl -s -o "$tmp/resp" -w '%{http_code}' -X POST -b "$tmp/f.jar" -H "X-CSRF-Token: $csrf_f" "$base/api/v1/tokens/2/revoke")
refused "fac1 revokes facility 2's token" 404 not_found
status=$(curl -s -o "$tmp/resp" -w '%{http_code}' -X POST -b "$tmp/f.jar" -H "X-CSRF-Token: $csrf_f" "$base/api/v1/devices/$dev_houmon/retire")
refused "fac1 retires facility 2's device" 404 not_found
call f GET admins
refused "fac1 lists administrators" 403 forbidden
call f GET audit
refused "fac1 reads the audit log" 403 forbidden
call f POST facilities '{"name":"new"}' "$csrf_f"
refused "fac1 adds a facility" 403 forbidden
call f POST admins '{"name":"x","role":"association","password":"Abcdefgh1"}' "$csrf_f"
refused "fac1 adds an administrator" 403 forbidden

# --- tokens, retirement, exports --------------------------------------------
call f POST facilities/1/tokens '{"uses":2,"expires":"1d"}' "$csrf_f"
tok=$(j .token)
tid=$(j .id)
check '[ "$status" = 201 ] && echo "$tok" | grep -Eq "^mt1_[A-Za-z0-9_-]{43}$"' "fac1 creates a token for the own facility; it is shown once"
call f GET facilities/1/tokens
check '[ "$(j ".tokens[] | select(.id == $tid) | .state")" = active ] && ! grep -q "${tok#mt1_}" "$tmp/resp"' \
    "the token list shows it active, never the token itself"
status=$(curl -s -o "$tmp/resp" -w '%{http_code}' -X POST -b "$tmp/f.jar" -H "X-CSRF-Token: $csrf_f" "$base/api/v1/tokens/$tid/revoke")
call f GET facilities/1/tokens
check '[ "$(j ".tokens[] | select(.id == $tid) | .state")" = revoked ]' "fac1 revokes it"
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
    --data "{\"token\":\"$tok\",\"public_key\":\"r0Hcp3CjpY0iWbR1A8mfO8N0zTg4c5XJrY6Wlq3yRBs=\",\"device\":{}}" "$base/api/v1/enroll")
check '[ "$code" = 403 ]' "a revoked token enrolls nothing"
curl -s -D "$tmp/hdr" -o "$tmp/current.csv" -b "$tmp/f.jar" "$base/api/v1/export/current.csv"
check '[ "$(head -c 3 "$tmp/current.csv" | od -An -tx1 | tr -d " ")" = efbbbf ] &&
    grep -qi "^Content-Type: text/csv; charset=utf-8" "$tmp/hdr" && grep -qi "^Content-Disposition: attachment" "$tmp/hdr"' \
    "CSV export: UTF-8 with a byte order mark, as an attachment"
check 'grep -q "^1,松原クリニック,$dev_reception,reception-pc,noncompliant,noncompliant," "$tmp/current.csv" &&
    ! grep -q houmon "$tmp/current.csv" && grep -q "\"<script>document.title=\"\"pwned\"\"</script>" "$tmp/current.csv"' \
    "CSV export: the own facility's devices and checks, quoted where needed, nothing of facility 2"
data >"$tmp/before"
call f GET "export/history.csv?from=2026-02-01&to=2026-01-01"
refused "a history export whose period runs backwards" 400 bad_period
today=$(date -u +%F)
monthago=$(date -u -d '30 days ago' +%F)
curl -s -o "$tmp/history.csv" -b "$tmp/f.jar" "$base/api/v1/export/history.csv?from=$monthago&to=$today"
check 'grep -q ",reception-pc,account.no_autologin,pass,fail,2" "$tmp/history.csv"' \
    "CSV history: reception-pc's no_autologin went from pass to fail in report 2"
status=$(curl -s -o "$tmp/resp" -w '%{http_code}' -X POST -b "$tmp/f.jar" -H "X-CSRF-Token: $csrf_f" "$base/api/v1/devices/$dev_nurse/retire")
check '[ "$status" = 200 ] && [ "$(sqlite3 "$db" "SELECT retired_at IS NOT NULL FROM devices WHERE device_id = '"'$dev_nurse'"'")" = 1 ]' \
    "fac1 retires the own facility's device"

# --- the audit log ----------------------------------------------------------
call a GET audit
for act in login login_failed token_created token_revoked device_retired export_current; do
	check '[ "$(j "[.entries[] | select(.action == \"$act\")] | length")" -ge 1 ]' "the audit log records $act"
done
check '[ "$(j "[.entries[] | select(.action == \"token_created\")][0].admin")" = fac1 ] &&
    [ "$(j "[.entries[] | select(.action == \"token_created\")][0].address")" = 127.0.0.1 ]' \
    "an audit entry names who and from where"

# --- accounts made in the dashboard -----------------------------------------
call a POST admins '{"name":"fac1b","role":"facility","facility_id":1,"password":"Start2026a"}' "$csrf_a"
check '[ "$status" = 201 ]' "the association administrator adds a facility administrator"
login g fac1b Start2026a
check '[ "$status" = 200 ] && [ "$(j .admin.must_change_password)" = true ]' \
    "whose first password must be changed at the first login"

# --- password expiry (article 15-3: 60 days) ----------------------------------
sqlite3 "$db" "UPDATE admins SET password_changed_at = strftime('%s','now') - 61 * 86400 WHERE name = 'fac2'"
login e fac2 "$seed_pw"
csrf_e=$csrf
check '[ "$status" = 200 ] && [ "$(j .admin.must_change_password)" = true ]' "a password older than 60 days still logs in, flagged"
data >"$tmp/before"
call e GET overview
refused "with an expired password nothing but the change is allowed" 403 password_expired
call e POST password '{"current":"'"$seed_pw"'","new":"abcdefgh"}' "$csrf_e"
refused "a new password without digits" 400 weak_password
call e POST password '{"current":"nope","new":"Newpass2026"}' "$csrf_e"
refused "a password change with a wrong current password" 403 wrong_password
call e POST password '{"current":"'"$seed_pw"'","new":"Newpass2026"}' "$csrf_e"
check '[ "$status" = 200 ] && [ "$(j .admin.must_change_password)" = false ]' "the password is changed"
call e GET overview
check '[ "$status" = 200 ] && [ "$(j ".facilities[0].id")" = 2 ]' "after the change the facility's overview opens"

# --- session expiry (article 15-5) --------------------------------------------
call f GET overview
check '[ "$status" = 200 ]' "fac1's session is alive"
sqlite3 "$db" "UPDATE sessions SET last_seen = last_seen - 16 * 60, created_at = created_at - 16 * 60"
call f GET overview
check '[ "$status" = 401 ] && [ "$(j .error)" = session_expired ]' "16 idle minutes end the session: 401 session_expired"
call f GET overview
check '[ "$status" = 401 ] && [ "$(j .error)" = not_logged_in ]' "and the session is gone for good"

# --- rate limits ---------------------------------------------------------------
for i in 1 2 3 4 5; do login r fac2 "wrong$i"; done
login r fac2 Newpass2026
check '[ "$status" = 429 ] && [ "$(j .error)" = too_many_attempts ]' \
    "after 5 failures the account is locked for a while, even with the right password"

# --- logging out ------------------------------------------------------------------
login a assoc "$seed_pw"
call a DELETE session "" "$csrf"
check '[ "$status" = 200 ] && grep -qi "^Set-Cookie: mamori_session=;.*Max-Age=0" "$tmp/hdr"' "logging out clears the cookie"
call a GET overview
check '[ "$status" = 401 ]' "after logging out the session is refused"

# --- static files -----------------------------------------------------------------
curl -s -D "$tmp/hdr" -o "$tmp/index" "$base/"
check 'grep -q "<script type=\"module\" src=\"app.js\">" "$tmp/index" && grep -qi "^Content-Security-Policy: default-src .self.; script-src .self.;" "$tmp/hdr" &&
    grep -qi "^X-Content-Type-Options: nosniff" "$tmp/hdr"' "GET / serves the dashboard with a strict Content-Security-Policy"
code=$(curl -s -o /dev/null -w '%{http_code}' --path-as-is "$base/../../etc/passwd")
code2=$(curl -s -o /dev/null -w '%{http_code}' "$base/i18n/..%2f..%2fMakefile")
check '[ "$code" = 404 ] && [ "$code2" = 404 ]' "nothing outside the dashboard's folder is served"
curl -s -o "$tmp/ja.json" "$base/i18n/ja.json"
check '[ "$(jq -r '"'"'."app.title"'"'"' "$tmp/ja.json")" = "mamori 管理画面" ]' "the Japanese catalog is served"

stop_collector
check '! grep -q "$seed_pw" "$log" && ! grep -q "Newpass2026" "$log"' "no password reaches the log"
