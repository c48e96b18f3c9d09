#!/usr/bin/env bash
# Starts Shard Manager on the demo profile in a virtual X server, lets the shards run for a few
# seconds and saves the screen as docs/screenshot.png (what the README shows).
#   docs/take-screenshot.sh [SECONDS] [OUT.png] [PROFILE]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-10}
out=${2:-$root/docs/screenshot.png}
profile=${3:-$root/examples/demo.json}
build=${BUILD_DIR:-$root/build}
[ -x "$build/bin/shard-manager" ] || "$root/scripts/build.sh"
command -v xvfb-run >/dev/null && command -v import >/dev/null || "$root/scripts/install-deps.sh"

# A throwaway home: no saved window layout or recent files, the same picture every time.
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
HOME=$home XDG_CONFIG_HOME=$home/.config xvfb-run -a -s "-screen 0 1280x820x24" bash -c '
    "$0" --start "$1" & app=$!
    sleep "$2"   # let the demo shards start and talk: this is a picture, not a test
    import -window root "$3"
    kill $app; wait $app || true
' "$build/bin/shard-manager" "$profile" "$seconds" "$out"
echo "saved $out"
