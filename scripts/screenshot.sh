#!/bin/sh
# The staff notification as people see it: the real daemon scans the
# noncompliant fixture machine and writes the status files, then
# `mamori notify` shows root's on a real session bus to dunst (Debian's
# notification daemon) inside an Xvfb screen, which is saved as PNG with
# ImageMagick's `import`: BUILD/screenshots/notify-ja.png and notify-en.png.
# Run by hand (`make screenshot`), as root (the daemon chowns the fixture's
# status files); installs xvfb, dunst, imagemagick and fonts-noto-cjk when
# missing. Usage: scripts/screenshot.sh [BUILD]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=$top/${1:-build}
out=$build/screenshots

if [ "${SCREENSHOT_IN_SESSION:-}" = 1 ]; then
	# inside dbus-run-session, with DISPLAY set
	dunst -config "$tmp/dunstrc" >"$tmp/dunst.log" 2>&1 &
	dpid=$!
	sleep 1
	for lang in ja en; do
		rm -rf "$tmp/state"
		case $lang in ja) l=ja_JP.UTF-8 ;; *) l=en_US.UTF-8 ;; esac
		env LANG=$l LC_ALL= LANGUAGE= XDG_STATE_HOME="$tmp/state" \
		    "$build/mamori" notify --once --status-dir "$tmp/users"
		sleep 1.5
		import -window root "$out/notify-$lang.png"
		dunstctl close-all 2>/dev/null || true
		sleep 0.5
	done
	kill "$dpid"
	exit 0
fi

missing=""
for p in xvfb dunst imagemagick fonts-noto-cjk dbus-daemon; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
	    missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "screenshot: installing$missing"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
fi
[ -x "$build/mamori" ] || make -C "$top" BUILD="$(basename "$build")" all

tmp=$(mktemp -d)
export tmp
xpid=""
trap 'kill $xpid 2>/dev/null; rm -rf "$tmp"' EXIT
mkdir -p "$out" "$tmp/run"

# the status files, as the daemon writes them for the noncompliant machine
sh "$top/tests/fixtures/instantiate.sh" "$top/tests/fixtures/noncompliant" "$tmp/ws"
"$build/mamori" daemon --root "$tmp/ws" --status-dir "$tmp/users" \
    --state-dir "$tmp/not-enrolled" 2>"$tmp/daemon.log" &
d=$!
i=0
while [ $i -lt 200 ] && [ ! -f "$tmp/users/0.json" ]; do sleep 0.05; i=$((i + 1)); done
kill -TERM "$d"; wait "$d" || true

cat >"$tmp/dunstrc" <<'EOF'
[global]
    font = "Noto Sans CJK JP 11"
    width = 720
    height = 980
    origin = top-right
    offset = 24x24
    frame_width = 3
    frame_color = "#c0392b"
    padding = 14
    horizontal_padding = 16
    markup = full
    format = "<b>%s</b>\n\n%b"
    alignment = left
    line_height = 2
    icon_position = off
[urgency_normal]
    background = "#fffdf8"
    foreground = "#1d1d1d"
    timeout = 0
EOF

Xvfb :77 -screen 0 1280x1024x24 -nolisten tcp >"$tmp/xvfb.log" 2>&1 &
xpid=$!
sleep 1
DISPLAY=:77 SCREENSHOT_IN_SESSION=1 dbus-run-session -- sh "$0" "$@"
ls -l "$out"/notify-*.png
