#!/bin/sh
# Japanese first: every user-facing string in the sources (po/POTFILES.in)
# has a Japanese translation in po/ja.po, none fuzzy, and POTFILES.in lists
# every source file that has such strings. The check table is the single
# source: every check is in docs/checks.md and README.md.
set -u
top=${MAMORI_TOP:?}
build=${MAMORI_BUILD:?}
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
nok() { n=$((n + 1)); echo "not ok $n - $1"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$top" || exit 1

# 1. POTFILES.in lists every C file that marks strings.
missing=""
for f in $(grep -l '_("\|N_("' agent/*.c checks/*.c common/*.c platform/*.c server-stub/*.c 2>/dev/null); do
	grep -qx "$f" po/POTFILES.in || missing="$missing $f"
done
[ -z "$missing" ] && ok "po/POTFILES.in lists every file with user-facing strings" ||
    nok "po/POTFILES.in misses:$missing"

# 2. Every msgid of the sources is translated in ja.po, none fuzzy.
xgettext --from-code=UTF-8 --keyword=_ --keyword=N_ --files-from=po/POTFILES.in \
    -o "$tmp/now.pot" 2>"$tmp/xg.err"
msgmerge -q -o "$tmp/merged.po" po/ja.po "$tmp/now.pot" 2>/dev/null
stats=$(LC_ALL=C msgfmt --statistics -o /dev/null "$tmp/merged.po" 2>&1)
case "$stats" in
*untranslated*|*fuzzy*) nok "ja.po is incomplete: $stats"
	msgattrib --untranslated --no-obsolete "$tmp/merged.po" 2>/dev/null | grep '^msgid' | head -n 20 | sed 's/^/# /'
	msgattrib --only-fuzzy --no-obsolete "$tmp/merged.po" 2>/dev/null | grep '^msgid' | head -n 20 | sed 's/^/# fuzzy /' ;;
*) ok "every user-facing string has a Japanese translation ($stats)" ;;
esac

# 3. Format strings keep their arguments in translation.
if msgfmt --check-format -o /dev/null po/ja.po 2>"$tmp/fmt.err"; then
	ok "ja.po translations keep printf arguments"
else
	nok "ja.po format mismatch: $(head -n 3 "$tmp/fmt.err")"
fi

# 4. {placeholders} of each message survive translation.
bad=$(awk '
	/^msgid "/ { id = substr($0, 8); mode = "id"; next }
	/^msgstr "/ { str = substr($0, 9); mode = "str"; next }
	/^"/ { if (mode == "id") id = id $0; else if (mode == "str") str = str $0; next }
	/^$/ { check(); mode = "" }
	END { check() }
	function check(   s, t, m) {
		if (str == "\"" || str == "") return
		s = id
		while (match(s, /\{[a-z_]+\}/)) {
			m = substr(s, RSTART, RLENGTH)
			if (index(str, m) == 0) print m " missing in: " substr(id, 1, 60)
			s = substr(s, RSTART + RLENGTH)
		}
		id = ""; str = ""
	}' po/ja.po)
[ -z "$bad" ] && ok "every {placeholder} survives in the Japanese text" ||
    { nok "placeholders lost in ja.po"; echo "$bad" | sed 's/^/# /'; }

# 5. The check table is documented.
"$build/mamori" checks >"$tmp/checks.txt" 2>&1 || true
for id in $(awk '{print $1}' "$tmp/checks.txt"); do
	art=$(awk -v id="$id" '$1 == id {print $2}' "$tmp/checks.txt")
	if grep -q "\`$id\`.*$art" docs/checks.md && grep -q "\`$id\`" README.md; then
		ok "$id ($art) is in docs/checks.md and README.md"
	else
		nok "$id ($art) is missing from docs/checks.md (with its article) or README.md"
	fi
done
