#!/usr/bin/env bash
# Takes docs/screenshots/search.png: the demo running in a virtual X server under openbox, two
# process panes opened from the table, then Ctrl+F "Ready as" and F3 typed with xdotool, as a
# person would, until the match is in another pane than the All one.
#   docs/take-search-screenshot.sh [OUT.png]
# Needs: xvfb, imagemagick, openbox, xdotool.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(realpath -m "${1:-$root/docs/screenshots/search.png}")
build=${BUILD_DIR:-$root/build}
[ -x "$build/bin/shard-manager" ] || "$root/scripts/build.sh"
for tool in xvfb-run import openbox xdotool; do
    command -v "$tool" >/dev/null || { echo "take-search-screenshot: install $tool" >&2; exit 2; }
done

# A throwaway home, runtime folder and copy of the demo (on a free port): no saved layout, no
# service of another run to attach to, the same picture every time.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$root/examples/demo" "$root/examples/demo.json" "$work/"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
sed -i "s/\"port\": 1337/\"port\": $port/" "$work/demo.json"
mkdir -p "$work/home" "$work/run"
chmod 700 "$work/run"

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
pid=$(HOME=$work/home XDG_RUNTIME_DIR=$work/run "$build/bin/shard-manager" --status "$work/demo.json" 2>/dev/null |
    sed -n 's/.*(pid \([0-9]*\)).*/\1/p' | head -n 1) || true
[ -n "$pid" ] && kill "$pid" 2>/dev/null || true
echo "saved $out"
