#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang into build-fuzz/ and runs each for SECONDS
# (default 30) on its seed corpus. Fails when any target finds a crash, a leak, a hang or a broken
# property; prints the executions of each target.
#   scripts/run-fuzz.sh [SECONDS] [TARGET...]      e.g. scripts/run-fuzz.sh 3600 profile
# Inputs found along the way are kept in build-fuzz/fuzz-corpus/<target>/ (reused by the next run);
# a failing input is written to build-fuzz/fuzz-artifacts/ and its reproduction command printed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}
seconds=${1:-30}
shift || true

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DFUZZ=ON \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" >/dev/null
cmake --build "$build" -j"${JOBS:-2}"

mapfile -t targets < <(if [ $# -gt 0 ]; then printf '%s\n' "$@"; else grep -v '^$' "$build/fuzz-targets.txt"; fi)
mkdir -p "$build/fuzz-artifacts"
# Ours last, so they win over a caller's (CI turns leak detection off for its sanitizer run).
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}print_stacktrace=1:halt_on_error=1"

failed=()
summary=()
for target in "${targets[@]}"; do
    binary="$build/bin/fuzz_$target"
    seeds="$root/tests/fuzz/corpus/$target"
    if [ ! -x "$binary" ] || [ ! -d "$seeds" ]; then
        echo "run-fuzz: no target '$target' (known: $(tr '\n' ' ' < "$build/fuzz-targets.txt"))" >&2
        exit 2
    fi
    corpus="$build/fuzz-corpus/$target"
    log="$build/fuzz-$target.log"
    mkdir -p "$corpus"
    dict=()
    [ -f "$root/tests/fuzz/$target.dict" ] && dict=(-dict="$root/tests/fuzz/$target.dict")
    echo "== fuzz_$target for ${seconds}s"
    status=0
    # New inputs go to the first folder (the build's), never into the committed seeds.
    "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "${dict[@]}" \
        -artifact_prefix="$build/fuzz-artifacts/$target-" "$corpus" "$seeds" >"$log" 2>&1 || status=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    if [ "$status" -ne 0 ]; then
        tail -n 40 "$log"
        artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
        echo "run-fuzz: fuzz_$target FAILED (exit $status)${artifact:+; reproduce with: $binary $artifact}"
        failed+=("$target")
        summary+=("$(printf '%-14s %12s  FAILED' "$target" "${runs:-?}")")
    else
        summary+=("$(printf '%-14s %12s  ok' "$target" "${runs:-?}")")
    fi
done

echo "== fuzzing, ${seconds}s per target"
printf '%-14s %12s  %s\n' target executions result
printf '%s\n' "${summary[@]}"
[ ${#failed[@]} -eq 0 ] || { echo "run-fuzz: failed: ${failed[*]}" >&2; exit 1; }
