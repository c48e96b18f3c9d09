#!/usr/bin/env bash
# The real keychain round trip: a private D-Bus session with an unlocked gnome-keyring
# (DESIGN §9), then tst_keychain with SHARD_REQUIRE_KEYCHAIN=1 so that "no keychain" fails.
# A skip fails too: this is the run that must do the round trip, not pass by leaving it out.
#   scripts/run-keychain-test.sh [BUILD_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-${BUILD_DIR:-$root/build}}
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
HOME=$home XDG_DATA_HOME=$home/.local/share XDG_RUNTIME_DIR=$home \
dbus-run-session -- bash -c '
    set -euo pipefail
    eval "$(printf "test-password" | gnome-keyring-daemon --unlock --components=secrets)"
    export GNOME_KEYRING_CONTROL SSH_AUTH_SOCK
    SHARD_REQUIRE_KEYCHAIN=1 QT_QPA_PLATFORM=offscreen "$0/bin/tst_keychain" | tee "$1"
' "$build" "$home/output.txt"
if grep -q '^SKIP' "$home/output.txt" || ! grep -q '^PASS   : TestKeychain::roundTrip()' "$home/output.txt"; then
    echo "run-keychain-test: tst_keychain did not run the round trip" >&2
    exit 1
fi
