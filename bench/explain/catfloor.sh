#!/bin/bash
# The least any manager that keeps a log must do in bench/compare's flood 16: every byte the 16
# children print goes through a pipe and into a file (here `cat`, no line handling, no prefixes).
# Prints its wall time next to the floor's (the children writing to /dev/null), 3 times each.
# Usage: bench/explain/catfloor.sh [BUILD_DIR]   (floodchild from bench/compare's build)
set -euo pipefail
build=${1:-$(dirname "$0")/../../build-rel}
child=$build/bin/floodchild
[ -x "$child" ] || { echo "no $child: run bench/compare --quick first" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for run in 1 2 3; do
    /usr/bin/time -f "run $run: cat into a file: wall %e s, CPU %U+%S s" \
        bash -c "( for i in \$(seq 0 15); do '$child' \$i 500000 & done; wait ) | cat > '$out/log'"
    /usr/bin/time -f "run $run: floor (/dev/null): wall %e s, CPU %U+%S s" \
        bash -c "for i in \$(seq 0 15); do '$child' \$i 500000 > /dev/null & done; wait"
done
