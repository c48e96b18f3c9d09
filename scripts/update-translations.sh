#!/usr/bin/env bash
# The English plural forms (resources/translations/shardmanager_en.ts): every tr() with %n needs its
# "1 process" / "2 processes" there, or English readers see the source's "process(es)".
#   scripts/update-translations.sh          add new %n texts to the file (then write their forms)
#   scripts/update-translations.sh --check  fail when a %n text is missing or has no forms (CI)
set -euo pipefail
cd "$(dirname "$0")/.."
lupdate=${LUPDATE:-/usr/lib/qt6/bin/lupdate}
ts=resources/translations/shardmanager_en.ts
run() { "$lupdate" -silent -pluralonly -locations none -no-obsolete app models ui -ts "$1"; }
if [ "${1:-}" = "--check" ]; then
    tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
    cp "$ts" "$tmp/shardmanager_en.ts"
    run "$tmp/shardmanager_en.ts"
    if ! diff -u "$ts" "$tmp/shardmanager_en.ts" >&2 || grep -q 'type="unfinished"' "$ts"; then
        echo "update-translations: $ts is out of date: run scripts/update-translations.sh and write the forms" >&2
        exit 1
    fi
    echo "update-translations: every %n text has its English forms"
    exit 0
fi
run "$ts"
if grep -q 'type="unfinished"' "$ts"; then
    echo "update-translations: write the singular and plural of each unfinished message in $ts"
fi
