#!/usr/bin/env bash
# Builds Shard Manager and runs it on the bundled demo profile (no luvit needed: the demo bot
# is built with the project). Ctrl+C stops the shards and exits.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
"$root/scripts/build.sh"
exec "$build/bin/shard-manager" --headless "$root/examples/demo.json" "$@"
