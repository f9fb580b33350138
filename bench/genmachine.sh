#!/bin/sh
# genmachine: writes a large machine tree for benchmarks — the compliant
# fixture's configuration, plus a dpkg status of many packages, many person
# accounts in passwd/shadow with home folders, a GNOME desktop read through
# dconf, browsers with their profiles, Wine prefixes, files in home
# folders, ClamAV with fresh signatures and a desktop's running programs.
# The same seed (and day) gives the same tree; the pseudo-random numbers
# are MINSTD in awk, exact in any awk. The binary files are made by the
# real tools: Login Data by sqlite3 with Chromium's schema, dconf
# databases by `dconf compile`, the schemas by glib-compile-schemas.
set -eu

usage() {
	cat <<EOF
usage: bench/genmachine.sh [--seed N] [--packages N] [--persons N] [--people N]
                           [--profiles N] [--wine N] [--home-files N] [--dlls N]
                           [--processes N] [--today DAYS] OUTDIR

Writes a machine root tree into OUTDIR (which must not exist or be empty).

  --seed N        pseudo-random seed, 1 to 2147483646 (default 1)
  --packages N    generated packages in /var/lib/dpkg/status (default 3000;
                  the desktop's dozen named ones come on top)
  --persons N     person accounts (uid 1002 up) in passwd and shadow, each
                  with a home folder (default 200)
  --people N      of them, desktop users with dconf settings, browser
                  profiles and files (default 50)
  --profiles N    browser profiles per desktop user, each Firefox, Chromium
                  or Google Chrome (default 3)
  --wine N        Wine prefixes among the desktop users (default 20)
  --home-files N  files in the desktop users' Downloads, Desktop, Documents
                  and Pictures (default 2000)
  --dlls N        files in each prefix's system32 and in its syswow64
                  (default 300, as in a Wine 8 prefix)
  --processes N   running programs in /proc (default 250)
  --today DAYS    the day shadow dates and ClamAV's signatures count from,
                  in days since 1970-01-01 (default: today, UTC); fix it
                  for identical trees

Every person has a (fake) password changed 0 to 59 days before --today
with a 60-day maximum, every desktop locks within 10 minutes, no browser
profile saves or holds passwords, ClamAV runs with signatures built on
--today, and nothing is file-sharing software: the scan should say
compliant (exit 0) after walking everything.

Needs sqlite3, dconf and glib-compile-schemas (Debian: sqlite3,
dconf-cli, libglib2.0-bin).
EOF
}

seed=1
packages=3000
persons=200
people=50
profiles=3
wine=20
home_files=2000
dlls=300
processes=250
today=$(( $(date -u +%s) / 86400 ))
out=""
while [ $# -gt 0 ]; do
	case "$1" in
	--seed) seed=${2:?}; shift 2 ;;
	--packages) packages=${2:?}; shift 2 ;;
	--persons) persons=${2:?}; shift 2 ;;
	--people) people=${2:?}; shift 2 ;;
	--profiles) profiles=${2:?}; shift 2 ;;
	--wine) wine=${2:?}; shift 2 ;;
	--home-files) home_files=${2:?}; shift 2 ;;
	--dlls) dlls=${2:?}; shift 2 ;;
	--processes) processes=${2:?}; shift 2 ;;
	--today) today=${2:?}; shift 2 ;;
	-h|--help) usage; exit 0 ;;
	-*) usage >&2; exit 2 ;;
	*) [ -z "$out" ] || { usage >&2; exit 2; }; out=$1; shift ;;
	esac
done
[ -n "$out" ] || { usage >&2; exit 2; }
for v in "$seed" "$packages" "$persons" "$people" "$profiles" "$wine" "$home_files" \
    "$dlls" "$processes" "$today"; do
	case "$v" in
	''|*[!0-9]*) echo "genmachine: $v is not a whole number" >&2; exit 2 ;;
	esac
done
if [ "$seed" -lt 1 ] || [ "$seed" -gt 2147483646 ]; then
	echo "genmachine: --seed takes 1 to 2147483646" >&2
	exit 2
fi
if [ -e "$out" ] && [ -n "$(ls -A "$out")" ]; then
	echo "genmachine: $out exists and is not empty" >&2
	exit 2
fi

if [ "$processes" -lt 5 ]; then
	echo "genmachine: --processes takes at least 5 (ClamAV's, Wine's and pid 1 among them)" >&2
	exit 2
fi
for tool in sqlite3 dconf glib-compile-schemas; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "genmachine: $tool is needed (Debian: sqlite3, dconf-cli, libglib2.0-bin)" >&2
		exit 2
	}
done

top=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sh "$top/tests/fixtures/instantiate.sh" "$top/tests/fixtures/compliant" "$out" "$today"
rm -f "$out/README" "$out/expected.txt"
# The fixture's two people keep their accounts but not their home folders:
# their settings lean on the clinic-wide locks and browser policies that
# are replaced below, so that every person's own settings are read.
rm -rf "${out:?}/home"
# The fixture's policy (its approved USB stick) goes where a PC keeps it;
# bench/scan.sh passes it with --policy.
if [ -f "$out/policy.json" ]; then
	mkdir -p "$out/etc/mamori"
	mv "$out/policy.json" "$out/etc/mamori/policy.json"
fi

# The named packages of a desktop with browsers, Wine and ClamAV, those
# the fixture does not list already.
for p in firefox-esr:128.5.0esr-1~deb12u1 chromium:131.0.6778.85-1~deb12u1 \
    google-chrome-stable:131.0.6778.85-1 clamav:1.0.7+dfsg-1~deb12u1 \
    clamav-base:1.0.7+dfsg-1~deb12u1 clamav-daemon:1.0.7+dfsg-1~deb12u1 \
    clamav-freshclam:1.0.7+dfsg-1~deb12u1 libclamav11:1.0.7+dfsg-1~deb12u1 \
    wine:8.0~repack-4 wine64:8.0~repack-4 dconf-cli:0.40.0-4 \
    gnome-session:43.0-1+deb12u1 gsettings-desktop-schemas:43.0-1; do
	grep -q "^Package: ${p%%:*}\$" "$out/var/lib/dpkg/status" ||
	    printf '\nPackage: %s\nStatus: install ok installed\nPriority: optional\nSection: misc\nInstalled-Size: 1024\nMaintainer: Debian Bench Team <bench@example.invalid>\nArchitecture: amd64\nVersion: %s\nDescription: %s for the mamori benchmark\n' \
	    "${p%%:*}" "${p#*:}" "${p%%:*}" >>"$out/var/lib/dpkg/status"
done

# Persons: appended after the fixture's own accounts.
awk -v seed="$seed" -v n="$persons" -v today="$today" -v pw="$out/etc/passwd" \
    -v sh="$out/etc/shadow" '
function rnd(m) { x = (x * 48271) % 2147483647; return x % m }
BEGIN {
	x = seed
	split("sato suzuki takahashi tanaka watanabe ito yamamoto nakamura kobayashi kato", fam, " ")
	for (i = 0; i < n; i++) {
		name = sprintf("%s%04d", fam[rnd(10) + 1], i)
		uid = 1002 + i
		printf "%s:x:%d:%d:Staff %d,,,:/home/%s:/bin/bash\n", name, uid, uid, i, name >> pw
		printf "%s:$y$j9T$bench$fake%08d:%d:1:60:7:::\n", name, rnd(100000000), today - rnd(60) >> sh
	}
}'

# Packages: the fixture's real ones and the named ones above stay first;
# generated ones follow up to --packages in all, each stanza about the
# size of a real one (dependencies, a long description), so parsing cost
# is realistic.
have=$(grep -c '^Package:' "$out/var/lib/dpkg/status" || true)
awk -v seed="$seed" -v n="$packages" -v have="$have" '
function rnd(m) { x = (x * 48271) % 2147483647; return x % m }
BEGIN {
	x = seed + 7919
	split("lib python3 gir1.2 fonts node golang ruby perl texlive gnome kde xserver", pre, " ")
	split("gtk qt glib ssl xml http image sound video print net crypto json yaml sql", mid, " ")
	split("admin libs utils net graphics sound x11 python perl devel doc fonts", sec, " ")
	split("amd64 all", arch, " ")
	for (i = have; i < n; i++) {
		name = sprintf("%s-%s%d", pre[rnd(12) + 1], mid[rnd(15) + 1], i)
		printf "\nPackage: %s\n", name
		printf "Status: install ok installed\n"
		printf "Priority: optional\nSection: %s\n", sec[rnd(12) + 1]
		printf "Installed-Size: %d\n", 10 + rnd(50000)
		printf "Maintainer: Debian Bench Team <bench@example.invalid>\n"
		printf "Architecture: %s\n", arch[rnd(2) + 1]
		printf "Multi-Arch: same\n"
		printf "Source: %s-src\n", name
		printf "Version: %d.%d.%d-%d+deb12u%d\n", rnd(10), rnd(40), rnd(20), 1 + rnd(5), rnd(4)
		printf "Depends: libc6 (>= 2.34), libgcc-s1 (>= 3.0), libstdc++6 (>= 12), zlib1g (>= 1:1.2.0)\n"
		printf "Description: generated package %d for the mamori benchmark\n", i
		printf " This stanza stands in for a real package of a Debian 12 desktop.\n"
		printf " Its description runs over several lines, as real ones do, so that\n"
		printf " the parser meets continuation lines and realistic sizes.\n"
		printf " .\n"
		printf " Homepage-like text: https://example.invalid/%s\n", name
	}
}' >>"$out/var/lib/dpkg/status"

# --- GNOME, read through dconf. ---
mkdir -p "$out/usr/share/xsessions" "$out/usr/share/wayland-sessions" \
    "$out/usr/share/glib-2.0/schemas" "$out/etc/dconf/profile" "$out/etc/dconf/db"
for f in xsessions/gnome.desktop xsessions/gnome-xorg.desktop wayland-sessions/gnome.desktop; do
	printf '[Desktop Entry]\nName=GNOME\nComment=This session logs you into GNOME\nExec=/usr/bin/gnome-session\nTryExec=/usr/bin/gnome-session\nType=Application\nDesktopNames=GNOME\n' \
	    >"$out/usr/share/$f"
done
# The schemas the screen lock is read from, as gsettings-desktop-schemas
# 43 defines them, and enough other schemas to give gschemas.compiled the
# size of a desktop's (hundreds of kilobytes).
mkdir "$work/schemas"
cat >"$work/schemas/org.gnome.desktop.session.gschema.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<schemalist gettext-domain="gsettings-desktop-schemas">
  <schema id="org.gnome.desktop.session" path="/org/gnome/desktop/session/">
    <key name="idle-delay" type="u"><default>300</default></key>
    <key name="session-name" type="s"><default>"gnome"</default></key>
  </schema>
</schemalist>
XML
cat >"$work/schemas/org.gnome.desktop.screensaver.gschema.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<schemalist gettext-domain="gsettings-desktop-schemas">
  <schema id="org.gnome.desktop.screensaver" path="/org/gnome/desktop/screensaver/">
    <key name="idle-activation-enabled" type="b"><default>true</default></key>
    <key name="lock-enabled" type="b"><default>true</default></key>
    <key name="lock-delay" type="u"><default>0</default></key>
    <key name="show-full-name-in-top-bar" type="b"><default>true</default></key>
    <key name="user-switch-enabled" type="b"><default>true</default></key>
    <key name="picture-uri" type="s"><default>'file:///usr/share/backgrounds/gnome/adwaita-timed.xml'</default></key>
    <key name="primary-color" type="s"><default>'#023c88'</default></key>
    <key name="secondary-color" type="s"><default>'#5789ca'</default></key>
  </schema>
</schemalist>
XML
cat >"$work/schemas/org.gnome.desktop.lockdown.gschema.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<schemalist gettext-domain="gsettings-desktop-schemas">
  <schema id="org.gnome.desktop.lockdown" path="/org/gnome/desktop/lockdown/">
    <key name="disable-command-line" type="b"><default>false</default></key>
    <key name="disable-save-to-disk" type="b"><default>false</default></key>
    <key name="disable-printing" type="b"><default>false</default></key>
    <key name="disable-print-setup" type="b"><default>false</default></key>
    <key name="disable-user-switching" type="b"><default>false</default></key>
    <key name="disable-lock-screen" type="b"><default>false</default></key>
    <key name="disable-log-out" type="b"><default>false</default></key>
    <key name="user-administration-disabled" type="b"><default>false</default></key>
  </schema>
</schemalist>
XML
awk -v dir="$work" 'BEGIN {
	for (a = 0; a < 180; a++) {
		f = sprintf("%s/schemas/org.bench.app%03d.gschema.xml", dir, a)
		printf "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<schemalist>\n" > f
		printf "  <schema id=\"org.bench.app%03d\" path=\"/org/bench/app%03d/\">\n", a, a > f
		for (k = 0; k < 24; k++) {
			if (k % 3 == 0)
				printf "    <key name=\"option-%02d\" type=\"b\"><default>false</default><summary>Option %d</summary></key>\n", k, k > f
			else if (k % 3 == 1)
				printf "    <key name=\"count-%02d\" type=\"u\"><default>%d</default><summary>Count %d</summary></key>\n", k, k * 10, k > f
			else
				printf "    <key name=\"label-%02d\" type=\"s\"><default>\"app %d label %d, a default string of ordinary length\"</default></key>\n", k, a, k > f
		}
		printf "  </schema>\n</schemalist>\n" > f
		close(f)
	}
}'
# The fixture's own schema sources win (same files); the folder is then
# compiled in place, as a package's postinst does.
for f in "$work"/schemas/*.xml; do
	[ -e "$out/usr/share/glib-2.0/schemas/${f##*/}" ] || cp "$f" "$out/usr/share/glib-2.0/schemas/"
done
glib-compile-schemas --strict "$out/usr/share/glib-2.0/schemas"
# The administrator's settings for everyone, one of them locked (the
# fixture's, which lock all, are replaced: each person's own database
# then decides the rest, so each is read).
printf 'user-db:user\nsystem-db:local\n' >"$out/etc/dconf/profile/user"
mkdir -p "$out/etc/dconf/db/local.d/locks"
printf '[org/gnome/desktop/session]\nidle-delay=uint32 300\n\n[org/gnome/desktop/screensaver]\nlock-enabled=true\nlock-delay=uint32 0\n\n[org/gnome/desktop/lockdown]\ndisable-lock-screen=false\n' \
    >"$out/etc/dconf/db/local.d/00-screensaver"
rm -f "$out"/etc/dconf/db/local.d/locks/*
printf '/org/gnome/desktop/screensaver/lock-enabled\n' >"$out/etc/dconf/db/local.d/locks/00-screensaver"
dconf compile "$out/etc/dconf/db/local" "$out/etc/dconf/db/local.d"
# Four kinds of person's own database: the lock settings of each stay
# within 10 minutes; around them, the dozens of keys a desktop collects.
for v in 0 1 2 3; do
	d="$work/dconf-user-$v.d"
	mkdir "$d"
	awk -v v="$v" 'BEGIN {
		printf "[org/gnome/desktop/interface]\ngtk-theme=\x27Adwaita\x27\nfont-name=\x27Noto Sans CJK JP 11\x27\nclock-show-weekday=true\n\n"
		printf "[org/gnome/desktop/input-sources]\nsources=[(\x27xkb\x27, \x27jp\x27), (\x27ibus\x27, \x27mozc-jp\x27)]\nxkb-options=@as []\n\n"
		printf "[org/gnome/shell]\nfavorite-apps=[\x27firefox-esr.desktop\x27, \x27chromium.desktop\x27, \x27org.gnome.Nautilus.desktop\x27, \x27org.gnome.Terminal.desktop\x27]\nwelcome-dialog-last-shown-version=\x2743.9\x27\n\n"
		if (v == 0) printf "[org/gnome/desktop/session]\nidle-delay=uint32 300\n\n[org/gnome/desktop/screensaver]\nlock-enabled=true\nlock-delay=uint32 0\n\n"
		if (v == 1) printf "[org/gnome/desktop/session]\nidle-delay=uint32 540\n\n[org/gnome/desktop/screensaver]\nlock-delay=uint32 30\n\n"
		if (v == 2) printf "[org/gnome/desktop/screensaver]\nlock-enabled=true\n\n"
		for (s = 0; s < 12; s++) {
			printf "[org/gnome/bench/window-state/app%d]\n", s
			printf "initial-size=(%d, %d)\nmaximized=%s\nsidebar-width=%d\nrecent=[\x27a%d\x27, \x27b%d\x27]\n\n", 800 + s, 600 + s, s % 2 ? "true" : "false", 180 + v, s, v
		}
	}' >"$d/user"
	dconf compile "$work/dconf-user-$v" "$d"
done

# --- Browsers: installed, with system settings that leave the decision
# to each profile (nothing about passwords), so every profile is read:
# the fixture's policies that turn saving off for everyone are replaced. ---
rm -f "$out"/etc/chromium/policies/managed/* "$out"/etc/opt/chrome/policies/managed/*
mkdir -p "$out/usr/lib/firefox-esr/defaults/pref" "$out/usr/lib/firefox-esr/browser/defaults/preferences" \
    "$out/usr/lib/firefox-esr/distribution" "$out/etc/firefox-esr" "$out/etc/firefox/policies" \
    "$out/usr/lib/chromium" "$out/etc/chromium/policies/managed" "$out/etc/chromium/policies/recommended" \
    "$out/opt/google/chrome" "$out/etc/opt/chrome/policies/managed"
: >"$out/usr/lib/firefox-esr/firefox-esr"
: >"$out/usr/lib/chromium/chromium"
: >"$out/opt/google/chrome/chrome"
printf '// channel-prefs.js\npref("app.update.channel", "esr");\n' \
    >"$out/usr/lib/firefox-esr/defaults/pref/channel-prefs.js"
printf 'pref("browser.startup.homepage", "about:home");\npref("intl.locale.requested", "");\n' \
    >"$out/usr/lib/firefox-esr/browser/defaults/preferences/firefox-esr-branding.js"
printf '// This is the Debian specific preferences file for Firefox ESR\npref("extensions.update.enabled", true);\npref("intl.locale.requested", "");\npref("print.postscript.paper_size", "A4");\npref("browser.bookmarks.file", "");\npref("javascript.options.showInConsole", true);\n' \
    >"$out/etc/firefox-esr/firefox-esr.js"
printf '{\n  "policies": {\n    "DisableTelemetry": true,\n    "DisableFirefoxStudies": true,\n    "DisablePocket": true\n  }\n}\n' \
    >"$out/etc/firefox/policies/policies.json"
printf '{ "MetricsReportingEnabled": false, "SpellcheckEnabled": true }\n' \
    >"$out/etc/chromium/policies/managed/clinic.json"
printf '{ "BookmarkBarEnabled": true }\n' >"$out/etc/chromium/policies/recommended/clinic.json"
printf '{ "MetricsReportingEnabled": false, "BrowserSignin": 0 }\n' \
    >"$out/etc/opt/chrome/policies/managed/clinic.json"
# Login Data: Chromium's own schema (tests/fixtures/browser), made by
# sqlite3; never-save entries only (blacklisted_by_user = 1, no password),
# none, a few or many, and the statistics of dismissed prompts.
for v in 0 1 2; do
	case $v in 0) n=0 ;; 1) n=8 ;; 2) n=120 ;; esac
	{
		cat "$top/tests/fixtures/browser/chromium-login-data.sql"
		awk -v n="$n" 'BEGIN {
			print "BEGIN;"
			for (i = 0; i < n; i++) {
				printf "INSERT INTO logins (origin_url, action_url, username_element, username_value, password_element, password_value, submit_element, signon_realm, date_created, blacklisted_by_user, scheme, password_type, times_used, date_last_used, date_password_modified) VALUES (\x27https://site%d.example.invalid/\x27, \x27\x27, \x27\x27, \x27\x27, \x27\x27, X\x27\x27, \x27\x27, \x27https://site%d.example.invalid/\x27, 13340000000000000, 1, 0, 0, 0, 0, 0);\n", i, i
				printf "INSERT INTO stats VALUES (\x27site%d.example.invalid\x27, \x27\x27, %d, 13340000000000000);\n", i, 1 + i % 3
			}
			print "COMMIT;"
		}'
	} | sqlite3 "$work/login-data-$v"
done

# --- ClamAV: running, updated by freshclam, signatures built today. ---
mkdir -p "$out/usr/sbin" "$out/usr/bin" "$out/var/lib/clamav" \
    "$out/etc/systemd/system/multi-user.target.wants"
: >"$out/usr/sbin/clamd"
: >"$out/usr/bin/clamscan"
ln -sf /lib/systemd/system/clamav-freshclam.service \
    "$out/etc/systemd/system/multi-user.target.wants/clamav-freshclam.service"
ln -sf /lib/systemd/system/clamav-daemon.service \
    "$out/etc/systemd/system/multi-user.target.wants/clamav-daemon.service"
# A signature database: the 512-byte header (platform/clamav_db.h), then
# a sparse body of its real size, so a reader that reads more than the
# header pays for it.
clamdb() { # FILE STIME VERSION SIGS SIZE
	awk -v t="$2" -v v="$3" -v s="$4" 'BEGIN {
		split("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec", mon, " ")
		# civil date of day t/86400 (Howard Hinnant), exact in awk doubles
		z = int(t / 86400) + 719468; era = int(z / 146097); doe = z - era * 146097
		yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
		y = yoe + era * 400; doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
		mp = int((5 * doy + 2) / 153); d = doy - int((153 * mp + 2) / 5) + 1
		m = mp < 10 ? mp + 3 : mp - 9; if (m <= 2) y++
		sec = t % 86400
		h = sprintf("ClamAV-VDB:%02d %s %d %02d-%02d +0000:%d:%d:90:%s:%s:raynman:%d",
		    d, mon[m], y, int(sec / 3600), int(sec % 3600 / 60), v, s,
		    "9d4b7b8f0c2d4e6a1b3c5d7e9f0a2b4c", "bench", t)
		printf "%-512s", h
	}' >"$1"
	truncate -s "$5" "$1"
}
clamdb "$out/var/lib/clamav/daily.cld" $(( today * 86400 + 3600 )) 27467 2071000 60M
clamdb "$out/var/lib/clamav/main.cvd" $(( (today - 400) * 86400 + 33000 )) 62 6647427 163M
clamdb "$out/var/lib/clamav/bytecode.cvd" $(( (today - 100) * 86400 + 50000 )) 335 86 280K

# --- People, their browsers, files and Wine prefixes; running programs. ---
: >"$work/links"
: >"$work/copies"
awk -f "$top/bench/genhomes.awk" -v out="$out" -v seed="$seed" -v people="$people" \
    -v profiles="$profiles" -v wine="$wine" -v files="$home_files" -v dlls="$dlls" \
    -v procs="$processes" -v templates="$work" -v links="$work/links" \
    -v copies="$work/copies" "$out/etc/passwd" >"$work/counts"
while IFS=' ' read -r target link; do
	ln -sfn "$target" "$link"
done <"$work/links"
tab=$(printf '\t')
while IFS=$tab read -r src dst; do
	cp "$src" "$dst"
done <"$work/copies"
cat "$work/counts"
