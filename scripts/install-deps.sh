#!/usr/bin/env bash
# Installs the Debian packages that the build, the tests and the demo need.
# Idempotent and quiet when everything is already there.
set -euo pipefail

packages=(
    # build
    cmake g++ make pkgconf
    qt6-base-dev qt6-base-dev-tools qtkeychain-qt6-dev libqt6keychain1
    # lrelease for the English plural forms (resources/translations), lupdate for their check
    qt6-tools-dev qt6-l10n-tools
    libgl1-mesa-dev libxkbcommon-dev
    # runtime of the window (xcb platform plugin)
    qt6-qpa-plugins
    # tests: other interpreters as shard children, the real keychain round trip
    python3 luajit lua-socket
    dbus dbus-x11 gnome-keyring libsecret-1-0
    # tests: a real sshd for --control over ssh (tests/sshserver.h)
    openssh-server openssh-client
    # screenshots; a system tray on Xvfb for tst_tray
    xvfb xauth imagemagick trayer
    # fuzzing (scripts/run-fuzz.sh): clang with libFuzzer and the sanitizer runtimes
    clang libclang-rt-14-dev
    # style check (scripts/check-format.sh)
    clang-format
    # the Debian package (installer/) and its checks
    dpkg-dev file lintian appstream desktop-file-utils
    # systemd-analyze verify and systemd-escape on the user unit (installer/check-unit.sh)
    systemd
    # promtool checks a live /metrics scrape (tests/tst_metrics)
    prometheus
    # tst_export reads the exported YAML with PyYAML
    python3-yaml
)

# tests/k8s/validate.sh runs npm; a node from elsewhere (NodeSource) brings its own npm.
command -v npm >/dev/null || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
