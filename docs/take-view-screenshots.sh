#!/usr/bin/env bash
# Takes docs/screenshots/welcome.png (the first run: no profile, no settings) and
# docs/screenshots/shard-view.png (the demo running, the Shards tab in front, as the window
# reopens the tab last looked at), each in a virtual X server under openbox.
#   docs/take-view-screenshots.sh [OUT-DIR]
# Needs: xvfb, imagemagick, openbox.
set -euo pipefail
source "$(dirname "$0")/screenshot-common.sh"
screenshot_setup take-view-screenshots xvfb-run import openbox
dir=$(realpath -m "${1:-$root/docs/screenshots}")
mkdir -p "$dir"
mkdir -p "$work/welcome" "$work/shards/.config/shard-manager"
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
stop_demo_service "$work/shards"
echo "saved $dir/welcome.png and $dir/shard-view.png"
