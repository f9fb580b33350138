#!/bin/sh
# Builds the Debian packages mamori and mamori-collector, and checks them
# with lintian. Usage: packaging/build-deb.sh OUT (make deb: build/deb).
#
# dpkg-buildpackage wants debian/ at the top of the source tree and writes
# its packages into the folder above it. So the source is copied to
# OUT/mamori-VERSION/ (what git tracks, plus new files not ignored; never
# build/ and its objects), packaging/debian/ becomes its debian/, and the
# packages land in OUT/. The working tree gets no debian/ and no build
# litter, and the package is always compiled from scratch with the
# distribution's flags and PREFIX=/usr.
#
# Exit status: 0 built and lintian clean; 1 the build failed (the end of
# OUT/build.log is shown); 2 lintian found errors or warnings
# (OUT/lintian.txt).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: build-deb.sh OUT}
mkdir -p "$out"
out=$(cd "$out" && pwd)

version=$(sed -n 's/^VERSION *:= *//p' "$top/Makefile")
deb_version=$(dpkg-parsechangelog -l "$top/packaging/debian/changelog" -S Version)
if [ "$version" != "$deb_version" ]; then
	echo "build-deb: the Makefile says $version, packaging/debian/changelog says $deb_version;" \
	    "add a changelog entry (dch -v $version)" >&2
	exit 1
fi
arch=$(dpkg-architecture -qDEB_HOST_ARCH)
tree=$out/mamori-$version
rm -rf "$tree" "$out"/*.deb "$out"/*.changes "$out"/*.buildinfo
mkdir -p "$tree"

cd "$top"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git ls-files --cached --others --exclude-standard | while IFS= read -r f; do
		[ -f "$f" ] && printf '%s\n' "$f"
	done
else
	find . -path ./.git -prune -o -path './build*' -prune -o -type f -print
fi | grep -v '^\(\./\)\?packaging/debian/' | tar -cf - -T - | tar -C "$tree" -xf -
cp -R "$top/packaging/debian" "$tree/debian"

echo "  DEB    $out (log: $out/build.log)"
if ! (cd "$tree" && dpkg-buildpackage -us -uc -b -jauto) >"$out/build.log" 2>&1; then
	tail -n 40 "$out/build.log" >&2
	echo "build-deb: dpkg-buildpackage failed; the whole log is $out/build.log" >&2
	exit 1
fi
rm -rf "$tree"

# Errors and warnings fail; pedantic and informational tags are shown too,
# so that a new one is seen. Overrides live in packaging/debian/*.lintian-overrides,
# each with its reason.
echo "  LINT   $out/lintian.txt"
lintian --display-info --pedantic --color never \
    "$out/mamori_${version}_$arch.changes" 2>&1 |
    grep -v '^running with root privileges' >"$out/lintian.txt" || true
if grep -q '^[EW]: ' "$out/lintian.txt"; then
	cat "$out/lintian.txt" >&2
	echo "build-deb: lintian found errors or warnings" >&2
	exit 2
fi
if [ -s "$out/lintian.txt" ]; then
	sed 's/^/  /' "$out/lintian.txt"
fi
ls "$out"/*.deb
