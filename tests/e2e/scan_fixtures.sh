#!/bin/sh
# e2e: `mamori scan` against whole fixture machines (tests/fixtures/*), the
# way facility IT would run it, held to each fixture's expected.txt; what a
# report may never carry; the exit codes; and `mamori policy check` on the
# policy files of tests/policy/. Speaks TAP, one line per assertion.
# Run by tests/run.sh with MAMORI_TOP (the source tree) and MAMORI_BUILD
# (the build folder holding the `mamori` binary).
set -u
top=${MAMORI_TOP:?MAMORI_TOP must name the source tree}
build=${MAMORI_BUILD:?MAMORI_BUILD must name the build folder}
mamori=$build/mamori
fixtures=$top/tests/fixtures
policies=$top/tests/policy
# A scan that takes longer than this is a hang (a FIFO opened blocking, a
# 2 GiB file read whole); the harness itself has no per-test timeout.
limit=20

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
# diag FILE: shows a file's first lines as TAP comments, after a failure.
diag() { sed -n '1,40s/^/#   /p' "$1"; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

if ! command -v jq >/dev/null 2>&1; then
	notok "jq is installed (scripts/deps.sh installs it); cannot read reports without it"
	echo "1..$n"
	exit 1
fi
if [ ! -x "$mamori" ]; then
	notok "$mamori exists (run make)"
	echo "1..$n"
	exit 1
fi

# --- what a report may never carry ---------------------------------------

# Bytes of UTF-8 Hiragana, Katakana (U+3041–U+30FF) or CJK ideographs
# (U+4E00–U+9FFF), matched byte-wise under LC_ALL=C.
JA_RE=$(printf '\343[\201-\203][\200-\277]|[\344-\351][\200-\277][\200-\277]')
# A crypt(3) hash: $1$ md5, $2b$ bcrypt, $5$/$6$ sha, $7$ scrypt, $y$/$gy$ yescrypt.
# shellcheck disable=SC2016 # the dollars are literal
HASH_RE='\$(1|2[abxy]?|5|6|7|y|gy)\$[./A-Za-z0-9]'

# privacy NAME OUT TREE: nothing of the machine's secrets or file contents
# is in OUT (a JSON report or the text view).
privacy() {
	pname=$1 pout=$2 ptree=$3
	leaks=""
	# shellcheck disable=SC2016 # a literal string, not an expansion
	grep -qF 'fixture$fake' "$pout" && leaks="$leaks fixture\$fake"
	if [ -f "$ptree/etc/shadow" ] && [ ! -L "$ptree/etc/shadow" ]; then
		for h in $(cut -d: -f2 "$ptree/etc/shadow" | grep -v '^[!*]' | grep -v '^$'); do
			grep -qF "$h" "$pout" && leaks="$leaks a-shadow-hash"
		done
	fi
	LC_ALL=C grep -Eq "$HASH_RE" "$pout" && leaks="$leaks a-crypt-hash"
	# Sentinels planted in passwd's GECOS and in every config file's comments.
	grep -q 'GECOS-SENTINEL' "$pout" && leaks="$leaks passwd-GECOS"
	grep -q 'FILE-CONTENT-SENTINEL' "$pout" && leaks="$leaks config-file-text"
	# Lines of passwd or shadow, whichever machine they came from.
	LC_ALL=C grep -Eq ':x:[0-9]+:[0-9]+:|:[0-9]{4,5}:[0-9]*:[0-9]*:[0-9]*:' "$pout" &&
	    leaks="$leaks an-account-line"
	if [ -z "$leaks" ]; then
		ok "$pname: carries no hash, GECOS text or file contents"
	else
		notok "$pname: carries no hash, GECOS text or file contents (found:$leaks)"
	fi
}

# subjects NAME JSON TREE: every finding of an account check is about an
# account of this machine's own passwd, a path, a display manager, a
# systemd unit (getty@tty1: "@" is in no account name adduser allows) or
# "system" — never an account of the host.
subjects() {
	sname=$1 sjson=$2 stree=$3
	strangers=""
	for s in $(jq -r '.checks[] | select(.id | startswith("account.")) | .findings[].subject' "$sjson" | sort -u); do
		case "$s" in
		/*|system|*@*|*.service|gdm|gdm3|lightdm|sddm) continue ;;
		esac
		cut -d: -f1 "$stree/etc/passwd" 2>/dev/null | grep -qxF "$s" ||
		    strangers="$strangers $s"
	done
	if [ -z "$strangers" ]; then
		ok "$sname: account findings name only this machine's accounts, paths, units or the system"
	else
		notok "$sname: account findings name only this machine's accounts, paths, units or the system (strangers:$strangers)"
	fi
}

# scan_json TREE OUT [VAR=VALUE…]: JSON scan of TREE into OUT (stderr in
# OUT.err) within the time limit, under the policy file $policy when it is
# set; sets rc.
scan_json() {
	stree=$1 sout=$2
	shift 2
	env "$@" timeout "$limit" "$mamori" scan --root "$stree" ${policy:+--policy "$policy"} \
	    --format json --lang en >"$sout" 2>"$sout.err"
	rc=$?
}

# finding NAME JSON CHECK SUBJECT VERDICT REASON [KEY=VALUE…]: some finding
# of CHECK about SUBJECT ("*": anyone) has VERDICT and REASON ("-": none)
# and, in its evidence, each KEY with VALUE (compared as text). In SUBJECT
# and VALUE, %20 stands for a space. One "finding …" line of an expected.txt.
finding() {
	fname=$1 fjson=$2 fcheck=$3 fsubj=$4 fverd=$5 freas=$6
	shift 6
	fkv=$(printf '%s\n' "$@")
	if jq -e --arg c "$fcheck" --arg s "$fsubj" --arg v "$fverd" --arg r "$freas" --arg kv "$fkv" '
	    ($kv | split("\n") | map(select(length > 0) | split("="))) as $pairs |
	    [.checks[] | select(.id == $c) | .findings[] |
	     select(($s == "*" or .subject == ($s | gsub("%20"; " "))) and .verdict == $v and (.reason // "-") == $r) |
	     .evidence as $ev |
	     select(all($pairs[]; ($ev[.[0]] | tostring) == (.[1:] | join("=") | gsub("%20"; " "))))] |
	    length > 0' "$fjson" >/dev/null 2>&1; then
		ok "$fname: $fcheck has $fsubj $fverd $freas $*"
	else
		notok "$fname: $fcheck has $fsubj $fverd $freas $*"
		jq -c --arg c "$fcheck" '.checks[] | select(.id == $c) | .findings[] | [.subject, .verdict, .reason, .evidence]' \
		    "$fjson" 2>/dev/null | sed 's/^/#   /'
	fi
}

# verify NAME EXPECTED JSON: each "check verdict" line of EXPECTED against
# the report, "exit N" against rc; then that nothing in the report is
# unaccounted for.
verify() {
	vname=$1 vexp=$2 vjson=$3
	if [ "$rc" -eq 124 ]; then
		notok "$vname: scan finished within ${limit}s (killed: a hang)"
	else
		ok "$vname: scan finished within ${limit}s"
	fi
	if jq -e '.schema == "mamori.report/1" and (.checks | type == "array")' "$vjson" >/dev/null 2>&1; then
		ok "$vname: output is a mamori.report/1 JSON report"
		json_ok=1
	else
		notok "$vname: output is a mamori.report/1 JSON report"
		diag "$vjson"
		diag "$vjson.err"
		json_ok=0
	fi
	while read -r id want rest; do
		case "$id" in
		''|'#'*) continue ;;
		finding)
			if [ "$json_ok" -eq 1 ]; then
				set -f
				# shellcheck disable=SC2086 # the fields are words
				finding "$vname" "$vjson" "$want" $rest
				set +f
			fi
			continue ;;
		exit)
			if [ "$rc" = "$want" ]; then
				ok "$vname: exit status $want"
			else
				notok "$vname: exit status $want (got $rc)"
				diag "$vjson.err"
			fi
			continue ;;
		esac
		got=missing
		[ "$json_ok" -eq 1 ] &&
		    got=$(jq -r --arg id "$id" '[.checks[] | select(.id == $id) | .verdict][0] // "missing"' "$vjson")
		if [ "$got" = "$want" ]; then
			ok "$vname: $id is $want"
		elif [ "$got" = missing ]; then
			notok "$vname: $id is $want (not in the report: check not registered yet?)"
		else
			notok "$vname: $id is $want (got $got)"
			jq -c --arg id "$id" '.checks[] | select(.id == $id) | .findings[] | [.subject, .verdict, .reason]' \
			    "$vjson" | sed 's/^/#   /'
		fi
	done <"$vexp"
	[ "$json_ok" -eq 1 ] || return 0
	extra=""
	for id in $(jq -r '.checks[].id' "$vjson"); do
		grep -q "^$id " "$vexp" || extra="$extra $id"
	done
	if [ -z "$extra" ]; then
		ok "$vname: every check in the report has an expectation in $(basename "$(dirname "$vexp")")/$(basename "$vexp")"
	else
		notok "$vname: every check in the report has an expectation (add to $vexp:$extra)"
	fi
	# unknown is only honest with a reason a person can act on.
	bare=$(jq -r '[.checks[].findings[] | select(.verdict == "unknown" and ((.reason // "") == ""))] | length' "$vjson")
	if [ "$bare" = 0 ]; then
		ok "$vname: every unknown finding gives a reason"
	else
		notok "$vname: every unknown finding gives a reason ($bare without)"
	fi
}

# --- the fixture machines ------------------------------------------------

# text_view NAME TREE EXPECTED LANG: the terminal view of TREE in LANG
# (under $policy when set) ends with the exit status EXPECTED gives; in
# English each check's line shows the verdict EXPECTED gives it; in either
# language every check has its line, and the Result line is the last.
text_view() {
	tname="$1 (text, $4)" ttree=$2 texp=$3 tlang=$4
	timeout "$limit" "$mamori" scan --root "$ttree" ${policy:+--policy "$policy"} \
	    --lang "$tlang" >"$tmp/view.txt" 2>&1
	rc=$?
	want=$(sed -n 's/^exit \([0-9]*\).*/\1/p' "$texp")
	if [ "$rc" = "$want" ]; then
		ok "$tname: exit status $want"
	else
		notok "$tname: exit status $want (got $rc)"
		diag "$tmp/view.txt"
	fi
	missing=""
	while read -r id v rest; do
		case "$id" in ''|'#'*|exit|finding) continue ;; esac
		case "$tlang:$v" in
		en:pass) label=PASS ;;
		en:fail) label=FAIL ;;
		en:not_applicable) label=N/A ;;
		en:unknown) label=UNKNOWN ;;
		*) label='[^ ]*' ;;
		esac
		grep -Eq "^$label +$id " "$tmp/view.txt" || missing="$missing $id:$v"
	done <"$texp"
	if [ -z "$missing" ]; then
		ok "$tname: each check's line shows its verdict"
	else
		notok "$tname: each check's line shows its verdict (wrong or missing:$missing)"
		diag "$tmp/view.txt"
	fi
	case "$rc" in
	0) result='compliant' ;; 1) result='noncompliant' ;; *) result='undetermined' ;;
	esac
	if [ "$tlang" = en ]; then
		if tail -n 1 "$tmp/view.txt" | grep -q "^Result: $result"; then
			ok "$tname: ends with \"Result: $result\""
		else
			notok "$tname: ends with \"Result: $result\" (last line: $(tail -n 1 "$tmp/view.txt"))"
		fi
	fi
	privacy "$tname" "$tmp/view.txt" "$ttree"
}

# Every folder with an expected.txt is a machine made by instantiate.sh,
# but hostile/, which its make.sh builds. A machine with a policy.json is
# scanned under it (compliant/ approves its USB stick there).
machines=""
for d in "$fixtures"/*/; do
	d=${d%/}
	[ -f "$d/expected.txt" ] && [ ! -f "$d/make.sh" ] && machines="$machines $(basename "$d")"
done
for name in $machines; do
	tree=$tmp/$name
	policy=""
	[ -f "$fixtures/$name/policy.json" ] && policy=$fixtures/$name/policy.json
	if [ -s "$fixtures/$name/README" ]; then
		ok "$name: has a README saying what machine it is"
	else
		notok "$name: has a README saying what machine it is"
	fi
	if ! sh "$fixtures/instantiate.sh" "$fixtures/$name" "$tree" >"$tmp/inst.log" 2>&1; then
		notok "$name: fixture instantiates"
		diag "$tmp/inst.log"
		continue
	fi
	out=$tmp/$name.json
	scan_json "$tree" "$out"
	verify "$name" "$fixtures/$name/expected.txt" "$out"
	privacy "$name (json)" "$out" "$tree"
	subjects "$name" "$out" "$tree"
	if [ -s "$out.err" ]; then
		notok "$name: scan writes nothing to stderr"
		diag "$out.err"
	else
		ok "$name: scan writes nothing to stderr"
	fi
	text_view "$name" "$tree" "$fixtures/$name/expected.txt" en
	text_view "$name" "$tree" "$fixtures/$name/expected.txt" ja
done
policy=""

# The hostile machine, in each variant, with openat2(2) and with the
# O_NOFOLLOW walk that older kernels get.
for variant in all pam-loop pwquality-huge; do
	for walk in openat2 nofollow-walk; do
		[ "$variant" != all ] && [ "$walk" = nofollow-walk ] && continue
		name="hostile/$variant/$walk"
		tree=$tmp/hostile-$variant-$walk
		if ! sh "$fixtures/hostile/make.sh" "$tree" "$variant" >"$tmp/make.log" 2>&1; then
			notok "$name: fixture builds (make.sh)"
			diag "$tmp/make.log"
			continue
		fi
		out=$tmp/hostile-$variant-$walk.json
		if [ "$walk" = openat2 ]; then
			scan_json "$tree" "$out"
		else
			scan_json "$tree" "$out" MAMORI_NO_OPENAT2=1
		fi
		verify "$name" "$fixtures/hostile/expected.txt" "$out"
		privacy "$name" "$out" "$tree"
		subjects "$name" "$out" "$tree"
		if [ "$variant/$walk" = all/openat2 ]; then
			text_view "$name" "$tree" "$fixtures/hostile/expected.txt" en
			text_view "$name" "$tree" "$fixtures/hostile/expected.txt" ja
		fi
		# The link to the host's shadow was refused, not followed.
		r=$(jq -r '[.checks[] | select(.id == "account.password_set") | .findings[].reason] | unique | join(",")' "$out" 2>/dev/null)
		if [ "$r" = file_symlink ]; then
			ok "$name: /etc/shadow → host's shadow is refused as a symlink"
		else
			notok "$name: /etc/shadow → host's shadow is refused as a symlink (reasons: $r)"
		fi
		r=$(jq -r '[.checks[].findings[] | select(.subject == "/etc/login.defs") | .reason] | unique | join(",")' "$out" 2>/dev/null)
		if [ "$r" = parse_error ]; then
			ok "$name: binary login.defs is refused as not a settings file"
		else
			notok "$name: binary login.defs is refused as not a settings file (reasons: $r)"
		fi
	done
done

# --- the text view in Japanese ----------------------------------------------

# Each machine's text view, in both languages, was held to its expected.txt
# above; here, that the Japanese one is Japanese.
tree=$tmp/noncompliant
if [ -d "$tree" ]; then
	timeout "$limit" "$mamori" scan --root "$tree" --lang ja >"$tmp/ja.txt" 2>&1
	rc=$?
	# NEEDS po/ja.po TRANSLATED (the lead's part): until then the text is
	# English and these two fail. The Result line is the last line.
	if LC_ALL=C grep -Eq "$JA_RE" "$tmp/ja.txt"; then ja=yes; else ja=no; fi
	if [ "$rc" -eq 1 ] && [ "$ja" = yes ]; then
		ok "noncompliant (text, ja): exit 1 and the findings are in Japanese [needs po/ja.po]"
	else
		notok "noncompliant (text, ja): exit 1 and the findings are in Japanese [needs po/ja.po] (exit $rc, Japanese text: $ja)"
		diag "$tmp/ja.txt"
	fi
	if tail -n 1 "$tmp/ja.txt" | LC_ALL=C grep -Eq "$JA_RE"; then
		ok "noncompliant (text, ja): the Result line is in Japanese [needs po/ja.po]"
	else
		notok "noncompliant (text, ja): the Result line is in Japanese [needs po/ja.po] (last line: $(tail -n 1 "$tmp/ja.txt"))"
	fi
fi

# --- account names as pseudonyms --------------------------------------------

tree=$tmp/compliant
if [ -d "$tree" ]; then
	# The policy can have account names sent as keyed pseudonyms.
	"$mamori" scan --root "$tree" --format json --lang en \
	    --policy "$policies/good-hashed-names.json" >"$tmp/hashed.json" 2>&1
	if jq -e '[.checks[] | select(.id | startswith("account.")) | .findings[].subject] |
	    (map(select(startswith("/") or . == "system" or test("^u-[0-9a-f]{16}$") | not)) | length == 0) and
	    (map(select(test("^u-"))) | length > 0)' "$tmp/hashed.json" >/dev/null 2>&1 &&
	    ! grep -Eq '"(root|sato|suzuki)"' "$tmp/hashed.json"; then
		ok "compliant with account_names hashed: no account name leaves, only u-… pseudonyms"
	else
		notok "compliant with account_names hashed: no account name leaves, only u-… pseudonyms"
		diag "$tmp/hashed.json"
	fi
fi

# --- usage errors exit 2 with a message ------------------------------------

# usage DESC ARGS…: mamori ARGS… exits 2 and says something on stderr.
usage() {
	udesc=$1
	shift
	timeout "$limit" "$mamori" "$@" >"$tmp/u.out" 2>"$tmp/u.err"
	rc=$?
	if [ "$rc" -eq 2 ] && [ -s "$tmp/u.err" ]; then
		ok "$udesc: exit 2 with a message"
	else
		notok "$udesc: exit 2 with a message (got $rc)"
		diag "$tmp/u.err"
	fi
}
usage "scan --root /nonexistent" scan --root /nonexistent/mamori-e2e
if grep -q '/nonexistent/mamori-e2e' "$tmp/u.err"; then
	ok "scan --root /nonexistent: the message names the folder"
else
	notok "scan --root /nonexistent: the message names the folder"
fi
usage "scan --root on a regular file" scan --root "$fixtures/instantiate.sh"
usage "scan --format xml" scan --root "$fixtures/compliant" --format xml
usage "scan --lang fr" scan --root "$fixtures/compliant" --lang fr
usage "scan with a stray argument" scan --root "$fixtures/compliant" extra
usage "scan --policy with a bad policy" scan --root "$fixtures/compliant" \
    --policy "$policies/bad-unknown-key.json"
if grep -q 'bad-unknown-key.json:3:5' "$tmp/u.err" && [ ! -s "$tmp/u.out" ]; then
	ok "scan --policy with a bad policy: refused before scanning, with the line and column"
else
	notok "scan --policy with a bad policy: refused before scanning, with the line and column"
	diag "$tmp/u.err"
fi
usage "an unknown command" frobnicate
usage "policy check without a file" policy check
usage "policy check of a missing file" policy check /nonexistent/mamori-e2e.json

# --- policy files ------------------------------------------------------------

for f in "$top/policy/default.json" "$policies"/good-*.json; do
	[ -f "$f" ] || continue
	"$mamori" policy check "$f" >"$tmp/p.out" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ] && grep -q 'valid policy' "$tmp/p.out"; then
		ok "policy check $(basename "$f"): valid, exit 0"
	else
		notok "policy check $(basename "$f"): valid, exit 0 (got $rc)"
		diag "$tmp/p.out"
	fi
done

# Each bad file and the error it must give are listed in tests/policy/README
# as "bad-NAME.json => substring of the error".
for f in "$policies"/bad-*.json; do
	[ -f "$f" ] || continue
	b=$(basename "$f")
	want=$(sed -n "s/^$b => //p" "$policies/README" | head -n 1)
	if [ -z "$want" ]; then
		notok "policy check $b: its expected error is listed in tests/policy/README"
		continue
	fi
	# Run from the folder so messages name the file as the README does.
	(cd "$policies" && "$mamori" policy check "$b") >"$tmp/p.out" 2>"$tmp/p.err"
	rc=$?
	if [ "$rc" -eq 2 ] && grep -qF -- "$want" "$tmp/p.err" && [ ! -s "$tmp/p.out" ]; then
		ok "policy check $b: exit 2, \"$want\""
	else
		notok "policy check $b: exit 2, \"$want\" (got $rc)"
		diag "$tmp/p.err"
	fi
done
for b in $(sed -n 's/^\(bad-[^ ]*\.json\) => .*/\1/p' "$policies/README"); do
	[ -f "$policies/$b" ] ||
	    notok "tests/policy/README lists $b, which does not exist"
done

echo "1..$n"
[ "$failed" -eq 0 ]
