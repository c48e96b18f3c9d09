#!/usr/bin/env bash
# Takes docs/screenshots/welcome.png (the first run: no profile, no settings) and
# docs/screenshots/shard-view.png (the demo running, the Shards tab in front, as the window
# reopens the tab last looked at), each in a virtual X server under openbox.
#   docs/take-view-screenshots.sh [OUT-DIR]
# Needs: xvfb, imagemagick, openbox.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$(realpath -m "${1:-$root/docs/screenshots}")
build=${BUILD_DIR:-$root/build}
[ -x "$build/bin/shard-manager" ] || "$root/scripts/build.sh"
for tool in xvfb-run import openbox; do
    command -v "$tool" >/dev/null || { echo "take-view-screenshots: install $tool" >&2; exit 2; }
done

# Throwaway homes, runtime folders and a copy of the demo on a free port: nothing of another run.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$root/examples/demo" "$root/examples/demo.json" "$work/"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
sed -i "s/\"port\": 1337/\"port\": $port/" "$work/demo.json"
mkdir -p "$work/welcome" "$work/shards/.config/shard-manager" "$work/run"
chmod 700 "$work/run"
printf '[window]\ntableTab=1\n' > "$work/shards/.config/shard-manager/shard-manager.conf"

# shot HOME SECONDS OUT ARGS...: the window after SECONDS, the whole screen saved as OUT.
shot() {
    local home=$1 seconds=$2 out=$3
    shift 3
    HOME=$home XDG_CONFIG_HOME=$home/.config XDG_STATE_HOME=$home/state XDG_RUNTIME_DIR=$work/run \
    xvfb-run -a -s "-screen 0 1440x900x24" bash -c '
        openbox >/dev/null 2>&1 & wm=$!
        sleep 1
        "$0" "${@:3}" & app=$!
        sleep "$1"
        import -window root "$2"
        kill $app $wm; wait $app || true
    ' "$build/bin/shard-manager" "$seconds" "$out" "$@"
}
shot "$work/welcome" 3 "$dir/welcome.png"
shot "$work/shards" 16 "$dir/shard-view.png" --start "$work/demo.json"

# The window leaves its service running in the background: stop it (and the demo processes).
pid=$(HOME=$work/shards XDG_RUNTIME_DIR=$work/run "$build/bin/shard-manager" --status "$work/demo.json" 2>/dev/null |
    sed -n 's/.*(pid \([0-9]*\)).*/\1/p' | head -n 1) || true
[ -n "$pid" ] && kill "$pid" 2>/dev/null || true
echo "saved $dir/welcome.png and $dir/shard-view.png"
