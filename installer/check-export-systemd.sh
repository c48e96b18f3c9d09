#!/usr/bin/env bash
# Runs what `shard-manager --export systemd PROFILE --replicas N` prints, host by host, in a
# temporary home (systemctl and loginctl stand-ins record their calls), and checks each host's
# result: one drop-in running its slice, the unit enabled, lingering on, and the packaged unit
# with that drop-in passing systemd-analyze verify without a remark (as installer/check-unit.sh).
#   installer/check-export-systemd.sh PROGRAM PROFILE N
set -euo pipefail
if [ $# -ne 3 ]; then
    echo "usage: $0 PROGRAM PROFILE N" >&2
    exit 64
fi
program=$(realpath "$1")
profile=$2
replicas=$3
here="$(cd "$(dirname "$0")" && pwd)"
fail() { echo "check-export-systemd: FAIL: $*" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$program" --export systemd "$profile" --replicas "$replicas" >"$tmp/export.sh"
mkdir "$tmp/bin"
for tool in systemctl loginctl; do
    printf '#!/bin/sh\necho "%s $*" >>"$HOME/calls"\n' "$tool" >"$tmp/bin/$tool"
    chmod +x "$tmp/bin/$tool"
done
unit="shard-manager@$(systemd-escape --path "$(realpath "$profile")").service"
for ((i = 0; i < replicas; i++)); do
    home="$tmp/host$i"
    mkdir -p "$home" "$home/runtime"
    chmod 0700 "$home/runtime"
    awk -v start="# ---- host $i of " -v stop="# ---- host $((i + 1)) of " \
        'index($0, start) == 1 { p = 1 } index($0, stop) == 1 { p = 0 } p' \
        "$tmp/export.sh" >"$home/commands.sh"
    [ -s "$home/commands.sh" ] || fail "no commands for host $i"
    (cd "$home" && HOME="$home" USER=bot PATH="$tmp/bin:$PATH" bash -euo pipefail commands.sh) ||
        fail "the commands for host $i failed"
    dropin="$home/.config/systemd/user/$unit.d/cluster.conf"
    [ -f "$dropin" ] || fail "host $i: no drop-in $dropin"
    grep -qx "ExecStart=/usr/bin/shard-manager --headless --token-file token --cluster-index $i --cluster-size $replicas %f" "$dropin" ||
        fail "host $i: the drop-in does not run slice $i of $replicas"
    grep -qx "systemctl --user enable --now $unit" "$home/calls" || fail "host $i: $unit not enabled"
    grep -qx "loginctl enable-linger bot" "$home/calls" || fail "host $i: no enable-linger"
    # The packaged unit beside the drop-in, both running the program just built.
    sed "s|^ExecStart=/usr/bin/shard-manager |ExecStart=$program |" "$here/shard-manager@.service" \
        >"$home/.config/systemd/user/$unit"
    sed -i "s|^ExecStart=/usr/bin/shard-manager |ExecStart=$program |" "$dropin"
    out=$(HOME="$home" XDG_RUNTIME_DIR="$home/runtime" \
        systemd-analyze --user verify --man=no "$home/.config/systemd/user/$unit" 2>&1) ||
        fail "host $i: systemd-analyze verify: $out"
    [ -z "$out" ] || fail "host $i: systemd-analyze verify is not silent: $out"
done
echo "check-export-systemd: $replicas hosts, each with its slice's drop-in; systemd-analyze verify passes, no remarks"
