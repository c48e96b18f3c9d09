#!/usr/bin/env bash
# Takes docs/screenshots/search.png: the demo running in a virtual X server under openbox, two
# process panes opened from the table, then Ctrl+F "Ready as" and F3 typed with xdotool, as a
# person would, until the match is in another pane than the All one.
#   docs/take-search-screenshot.sh [OUT.png]
# Needs: xvfb, imagemagick, openbox, xdotool.
set -euo pipefail
source "$(dirname "$0")/screenshot-common.sh"
screenshot_setup take-search-screenshot xvfb-run import openbox xdotool
out=$(realpath -m "${1:-$root/docs/screenshots/search.png}")
mkdir -p "$(dirname "$out")"
mkdir -p "$work/home"

HOME=$work/home XDG_CONFIG_HOME=$work/home/.config XDG_STATE_HOME=$work/home/state \
XDG_RUNTIME_DIR=$work/run xvfb-run -a -s "-screen 0 1440x900x24" bash -c '
    openbox >/dev/null 2>&1 & wm=$!
    sleep 1
    "$0" --start "$1" & app=$!
    sleep 6 # the three demo processes start 1.5 s apart and say "Ready as"
    w=$(xdotool search --sync --onlyvisible --name "Shard Manager" | head -n 1)
    xdotool windowactivate --sync "$w"
    # Rows 1 and 2 of the process table (double-click opens their panes), then the All tab.
    xdotool mousemove --window "$w" 420 126 click --repeat 2 --delay 80 1
    sleep 0.5
    xdotool mousemove --window "$w" 420 148 click --repeat 2 --delay 80 1
    sleep 0.5
    xdotool mousemove --window "$w" 455 356 click 1
    sleep 0.5
    xdotool key --window "$w" ctrl+f
    xdotool type --delay 60 "Ready as"
    sleep 0.5
    xdotool key --delay 300 F3 F3 F3 F3
    xdotool mousemove 1430 890 # no hover highlight in the picture
    sleep 1
    import -window root "$2"
    kill $app $wm; wait $app || true
' "$build/bin/shard-manager" "$work/demo.json" "$out"

# The window leaves its service running in the background: stop it (and the demo processes).
stop_demo_service "$work/home"
echo "saved $out"
