#!/usr/bin/env bash
# Builds Shard Manager and opens it on the bundled demo profile (no luvit needed: the demo bot
# is built with the project); press Start All (F5). Without a display, or with --headless, the
# demo runs in the terminal instead (Ctrl+C stops it).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
"$root/scripts/build.sh"
if [ "${1:-}" = "--headless" ] || { [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; }; then
    exec "$build/bin/shard-manager" --headless "$root/examples/demo.json"
fi
exec "$build/bin/shard-manager" "$root/examples/demo.json"
