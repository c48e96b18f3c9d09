#!/usr/bin/env bash
# Checks a package made by installer/build-deb.sh without installing it: unpacks it into a
# temporary root (dpkg-deb -x) and runs the programs from there, with the system's libraries (LD
# paths unchanged): --version against project(VERSION), --check on the installed demo profile, the
# headless demo from a copy of the installed examples. Then validates the desktop entry, the
# AppStream metainfo and the man pages, and runs lintian (fails on errors).
#   installer/check-deb.sh PATH/shard-manager_VERSION_ARCH.deb
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -ne 1 ] || [ ! -f "$1" ]; then
    echo "usage: $0 PACKAGE.deb" >&2
    exit 64
fi
deb=$(realpath "$1")
"$root/scripts/install-deps.sh"

tmp=$(mktemp -d)
manager=""
cleanup() {
    if [ -n "$manager" ]; then kill -KILL "$manager" 2>/dev/null || true; fi
    rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "check-deb: FAIL: $*" >&2; exit 1; }
say() { echo "check-deb: $*"; }

pkgroot=$tmp/root
dpkg-deb -x "$deb" "$pkgroot"
bin=$pkgroot/usr/bin
share=$pkgroot/usr/share
doc=$share/doc/shard-manager
metainfo=$share/metainfo/io.github.shard_manager.ShardManager.metainfo.xml

# ---- what the package holds ----------------------------------------------------------------------
say "$(basename "$deb"): $(du -k "$deb" | cut -f1) KiB, installed size $(dpkg-deb -f "$deb" Installed-Size) KiB"
dpkg-deb -f "$deb" Package Version Architecture Section Depends Recommends | sed 's/^/    /'
expected=(
    usr/bin/shard-manager usr/bin/shard-demobot
    usr/share/applications/shard-manager.desktop
    usr/share/metainfo/io.github.shard_manager.ShardManager.metainfo.xml
    usr/share/icons/hicolor/scalable/apps/shard-manager.svg
    usr/share/man/man1/shard-manager.1.gz usr/share/man/man1/shard-demobot.1.gz
    usr/share/doc/shard-manager/copyright usr/share/doc/shard-manager/changelog.Debian.gz
    usr/lib/systemd/user/shard-manager@.service
    usr/share/doc/shard-manager/examples/demo.json
    usr/share/doc/shard-manager/examples/demo/demo-bot.conf
    usr/share/doc/shard-manager/examples/luvit/profile.json
    usr/share/doc/shard-manager/examples/luvit/bot.lua
)
for size in 16 24 32 48 64 128 256; do
    expected+=(usr/share/icons/hicolor/${size}x${size}/apps/shard-manager.png)
done
for f in "${expected[@]}"; do
    [ -f "$pkgroot/$f" ] || fail "the package lacks /$f"
done
depends=$(dpkg-deb -f "$deb" Depends)
for d in libqt6widgets6 libqt6keychain1 qt6-qpa-plugins libsecret-1-0; do
    [[ ", $depends," == *", $d "* || ", $depends," == *", $d,"* ]] || fail "Depends lacks $d: $depends"
done
[[ $(dpkg-deb -f "$deb" Recommends) == *gnome-keyring* ]] || fail "gnome-keyring is not recommended"
grep -q '^ExecStart=/usr/bin/shard-manager ' "$pkgroot/usr/lib/systemd/user/shard-manager@.service" ||
    fail "the user unit does not run /usr/bin/shard-manager"

# ---- one version everywhere: project(VERSION), the package, --version, changelog, metainfo -------
version=$(sed -n '/^project(/,/)/p' "$root/CMakeLists.txt" | grep -oP '\bVERSION\s+\K[0-9][0-9.]*' | head -n 1)
[ -n "$version" ] || fail "no VERSION in project() of CMakeLists.txt"
package_version=$(dpkg-deb -f "$deb" Version)
[ "${package_version%-*}" = "$version" ] || fail "package version $package_version, project(VERSION) $version"
shown=$("$bin/shard-manager" --version)
[ "$shown" = "shard-manager $version" ] || fail "--version says '$shown', project(VERSION) is $version"
say "--version: $shown"
changelog_top=$(gzip -dc "$doc/changelog.Debian.gz" | head -n 1)
[[ $changelog_top == "shard-manager ($package_version) "* ]] || fail "changelog.Debian.gz starts with '$changelog_top', not $package_version"
release=$(grep -oP '<release version="\K[^"]+' "$metainfo" | head -n 1)
[ "$release" = "$version" ] || fail "the metainfo's newest <release> is $release, not $version"

# ---- --check on the installed demo profile -------------------------------------------------------
# The interpreter "shard-demobot" is found beside the installed shard-manager.
check=$("$bin/shard-manager" --check "$doc/examples/demo.json") || fail "--check failed: $check"
printf '%s\n' "$check" | sed 's/^/    /'
processes=$(printf '%s\n' "$check" | sed -n 's/^[0-9]* shards in \([0-9]*\) processes$/\1/p')
[ -n "$processes" ] && [ "$processes" -gt 0 ] || fail "--check printed no plan"

# ---- the headless demo, from a writable copy (demo.json logs to demo.log beside itself) ----------
cp -r "$doc/examples" "$tmp/examples"
chmod -R u+w "$tmp/examples"
# A free port instead of the demo's 1337: CI may have anything listening there.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
sed -i "s/\"port\": 1337/\"port\": $port/" "$tmp/examples/demo.json"
grep -q "\"port\": $port" "$tmp/examples/demo.json" || fail "could not move the demo to port $port"
# No display and no session bus: the keychain answers "none" at once, the demo needs no token.
(cd "$tmp" && exec env -u DISPLAY -u WAYLAND_DISPLAY -u DBUS_SESSION_BUS_ADDRESS \
    "$bin/shard-manager" --headless "$tmp/examples/demo.json" </dev/null >"$tmp/out" 2>"$tmp/err") &
manager=$!
started=$SECONDS
children=""
while :; do
    sleep 1
    kill -0 "$manager" 2>/dev/null || { cat "$tmp/err" >&2; fail "the headless demo exited by itself"; }
    seen=$(grep -oE '^Shards [0-9]+ to [0-9]+ \|' "$tmp/out" | sort -u | wc -l || true)
    if [ "$seen" -ge "$processes" ] && [ $((SECONDS - started)) -ge 5 ]; then
        break
    fi
    [ $((SECONDS - started)) -lt 30 ] || { cat "$tmp/err" >&2; fail "after 30 s, output from $seen of $processes processes"; }
done
# The manager's children: one shard-demobot per process, plus its guardian (shard-manager --guardian).
children=""
guardian=""
for child in $(pgrep -P "$manager" || true); do
    exe=$(readlink "/proc/$child/exe")
    if [ "$exe" = "$bin/shard-demobot" ]; then
        children="$children $child"
    elif [ "$exe" = "$bin/shard-manager" ] && tr '\0' ' ' <"/proc/$child/cmdline" | grep -q -- '--guardian'; then
        guardian=$child
    else
        fail "child $child runs $exe, neither the installed shard-demobot nor the guardian"
    fi
done
[ "$(printf '%s\n' $children | grep -c .)" -eq "$processes" ] || fail "expected $processes shard-demobot children, found:$children"
[ -n "$guardian" ] || fail "no guardian process beside the shards"
kill -TERM "$manager"
for _ in $(seq 1 60); do
    kill -0 "$manager" 2>/dev/null || break
    sleep 0.25
done
kill -0 "$manager" 2>/dev/null && fail "still running 15 s after SIGTERM"
code=0
wait "$manager" || code=$?
manager=""
sed 's/^/    stderr: /' "$tmp/err"
grep -oE '^Shards [0-9]+ to [0-9]+ \|' "$tmp/out" | sort | uniq -c | sed 's/^ */    stdout: /; s/ Shards/ lines from Shards/'
[ "$code" -eq 0 ] || fail "the headless demo exited with $code after SIGTERM"
for child in $children $guardian; do
    ! kill -0 "$child" 2>/dev/null || fail "process $child outlived the manager"
done
[ -s "$tmp/examples/demo.log" ] || fail "the demo wrote no demo.log"
say "headless demo: $(wc -l <"$tmp/out") lines on stdout from $processes processes in $((SECONDS - started)) s, exit $code after SIGTERM"

# ---- desktop entry, AppStream metainfo, man pages ------------------------------------------------
desktop_out=$(desktop-file-validate "$share/applications/shard-manager.desktop" 2>&1) ||
    fail "desktop-file-validate: $desktop_out"
[ -z "$desktop_out" ] || { printf '%s\n' "$desktop_out"; fail "desktop-file-validate is not silent"; }
say "desktop-file-validate: no remarks"
appstreamcli validate --no-net "$metainfo" || fail "appstreamcli validate"
appstreamcli validate-tree --no-net "$pkgroot" || fail "appstreamcli validate-tree"
for page in "$share"/man/man1/*.1.gz; do
    warnings=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z "$page" 2>&1 >/dev/null)
    [ -z "$warnings" ] || fail "$(basename "$page"): $warnings"
done
say "man pages: no warnings"

# ---- lintian -------------------------------------------------------------------------------------
say "lintian $(lintian --version | cut -d' ' -f2)"
lintian --fail-on error --display-info "$deb" || fail "lintian reports errors"
say "OK"
