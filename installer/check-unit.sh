#!/usr/bin/env bash
# Verifies the systemd user unit template with systemd-analyze verify, which must pass and say
# nothing (it exits 0 on unknown keys and bad values, with a warning only). A template alone
# leaves %f unresolved: the unit is checked as an instance named after a profile path, escaped as
# the README says. Its ExecStart names the installed program (/usr/bin/shard-manager), which a CI
# container lacks: the copy runs PROGRAM instead when given. Needs no running systemd; as system
# and as user unit (a temporary XDG_RUNTIME_DIR for the latter).
#   installer/check-unit.sh UNIT [PROGRAM]
set -euo pipefail
if [ $# -lt 1 ] || [ $# -gt 2 ] || [ ! -f "$1" ]; then
    echo "usage: $0 shard-manager@.service [PROGRAM]" >&2
    exit 64
fi
unit=$1
fail() { echo "check-unit: FAIL: $*" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

profile=/home/bot/profile.json
instance=$(systemd-escape --path "$profile")
[ "$(systemd-escape --unescape --path "$instance")" = "$profile" ] || fail "systemd-escape does not round-trip $profile"
name="shard-manager@$instance.service"
program=$(sed -n 's/^ExecStart=\([^ ]*\) .*/\1/p' "$unit" | head -n 1)
[ -n "$program" ] || fail "no ExecStart= in $unit"
grep -q '^ExecStart=[^ ]* --headless %f$' "$unit" || fail "ExecStart= does not run --headless %f"
if [ $# -eq 2 ]; then
    [ -x "$2" ] || fail "$2 is not an executable"
    sed "s|^\(#\?\)ExecStart=$program |\1ExecStart=$(realpath "$2") |" "$unit" >"$tmp/$name"
else
    cp "$unit" "$tmp/$name"
fi

# The commented token lines (LoadCredential= and --token-file) as the comment suggests using them.
mkdir "$tmp/credential"
sed 's/^#\(LoadCredential=\|ExecStart=\)/\1/' "$tmp/$name" >"$tmp/credential/$name"
grep -q '^LoadCredential=token:' "$tmp/credential/$name" || fail "no commented LoadCredential=token: example"
grep -q '^ExecStart=[^ ]* --headless --token-file token %f$' "$tmp/credential/$name" ||
    fail "no commented ExecStart= with --token-file token"

mkdir -m 0700 "$tmp/runtime"
for copy in "$tmp/$name" "$tmp/credential/$name"; do
    for mode in --system --user; do
        # --man=no: the Documentation= page is checked with the package, not installed here.
        out=$(XDG_RUNTIME_DIR="$tmp/runtime" systemd-analyze "$mode" verify --man=no "$copy" 2>&1) ||
            fail "systemd-analyze $mode verify $copy: $out"
        [ -z "$out" ] || fail "systemd-analyze $mode verify $copy is not silent: $out"
    done
done
echo "check-unit: systemd-analyze verify: $name, as is and with its LoadCredential= example, passes as system and user unit, no remarks"
