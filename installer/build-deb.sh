#!/usr/bin/env bash
# Builds the Debian package: a Release build in build-pkg/ (prefix /usr, no tests, Debian's
# hardening flags), then CPack. Progress goes to stderr; the last thing on stdout is the path of
# the .deb, so that   deb=$(installer/build-deb.sh) && installer/check-deb.sh "$deb"   works.
#   installer/build-deb.sh [extra CMake configure arguments]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${PKG_BUILD_DIR:-$root/build-pkg}
"$root/scripts/install-deps.sh" >&2

# The flags Debian builds its packages with (stack protector, fortify, relro, bindnow), without
# -g and -O2: the binaries are stripped, and the Release build type brings its own optimisation.
flags() {
    DEB_BUILD_MAINT_OPTIONS=hardening=+all DEB_CFLAGS_MAINT_STRIP="-g -O2" DEB_CXXFLAGS_MAINT_STRIP="-g -O2" \
        dpkg-buildflags --get "$1"
}
cd "$root"   # -ffile-prefix-map maps the current folder: the sources
cxxflags="$(flags CPPFLAGS) $(flags CXXFLAGS)"
ldflags=$(flags LDFLAGS)

echo "build-deb: configuring $build" >&2
cmake -S "$root" -B "$build" \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_INSTALL_PREFIX=/usr \
    -DBUILD_TESTING=OFF \
    -DSANITIZE=OFF \
    -DCMAKE_CXX_FLAGS="$cxxflags" \
    -DCMAKE_EXE_LINKER_FLAGS="$ldflags" \
    "$@" >&2
cmake --build "$build" -j"${JOBS:-2}" >&2

echo "build-deb: packaging" >&2
log=$(cd "$build" && cpack -G DEB 2>&1) || { printf '%s\n' "$log" >&2; exit 1; }
printf '%s\n' "$log" >&2
deb=$(printf '%s\n' "$log" | sed -n 's/^CPack: - package: \(.*\.deb\) generated\.$/\1/p' | tail -n 1)
if [ -z "$deb" ] || [ ! -f "$deb" ]; then
    echo "build-deb: cpack did not say which package it made" >&2
    exit 1
fi
echo "build-deb: $(du -h "$deb" | cut -f1) $deb" >&2
echo "$deb"
