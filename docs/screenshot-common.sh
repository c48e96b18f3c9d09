# Sourced by the docs/take-*.sh scripts: what every screenshot of the demo needs.
#   screenshot_setup NAME TOOL...   root, build (built if missing), the tools checked, and $work: a
#                                   throwaway folder with a copy of the demo on a free port and a
#                                   private runtime folder ($work/run), removed on exit
#   stop_demo_service HOME          stops the service a window left running for $work/demo.json
screenshot_setup() {
    local name=$1 tool
    shift
    root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    build=${BUILD_DIR:-$root/build}
    [ -x "$build/bin/shard-manager" ] || "$root/scripts/build.sh"
    for tool in "$@"; do
        command -v "$tool" >/dev/null || { echo "$name: install $tool" >&2; exit 2; }
    done
    # Nothing of another run: no saved layout, no service to attach to, the same picture each time.
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    cp -r "$root/examples/demo" "$root/examples/demo.json" "$work/"
    local port
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    sed -i "s/\"port\": 1337/\"port\": $port/" "$work/demo.json"
    mkdir -p "$work/run"
    chmod 700 "$work/run"
}

stop_demo_service() {
    local pid
    pid=$(HOME=$1 XDG_RUNTIME_DIR=$work/run "$build/bin/shard-manager" --status "$work/demo.json" 2>/dev/null |
        sed -n 's/.*(pid \([0-9]*\)).*/\1/p' | head -n 1) || true
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
}
