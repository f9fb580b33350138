#!/bin/sh
# Installs the Debian packages mamori needs to build and test, if any is
# missing. Run by `make check`, `make demo` and .ci/run; safe to run again.
# debhelper and lintian build and check the packages (make deb); systemd
# brings systemd-analyze, which verifies their units.
set -eu
PKGS="build-essential pkg-config clang gettext libjansson-dev libssl-dev libcmocka-dev libxml2-dev libsqlite3-dev libmicrohttpd-dev libcurl4-openssl-dev
      libsystemd-dev libudev-dev dbus-daemon
      sqlite3 dconf-cli libglib2.0-bin jq curl openssl
      debhelper lintian systemd chromium fonts-noto-cjk"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
	    missing="$missing $p"
done
# The dashboard's browser tests run playwright-core on Node: Debian's
# nodejs and npm, unless a node with npm is installed already (another
# packaging of Node would conflict with Debian's npm).
command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm"
[ -z "$missing" ] && exit 0
echo "deps: installing$missing"
if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
