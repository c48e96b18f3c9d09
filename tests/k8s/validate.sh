#!/usr/bin/env bash
# Validates Kubernetes manifests against the API schema: installs the pinned npm packages of
# package-lock.json (kubernetes-models, yaml) into a temporary folder and runs validate.mjs on
# FILE (or standard input). Exit status 1 when a document is invalid, 2 when npm cannot install.
#   shard-manager --export kubernetes examples/cluster.json --replicas 3 | tests/k8s/validate.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
input="${1:-/dev/stdin}"
command -v npm >/dev/null && command -v node >/dev/null || {
    echo "validate.sh: needs node and npm (Debian: nodejs npm)" >&2
    exit 2
}
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat "$input" >"$work/manifests.yaml"
cp "$here/package.json" "$here/package-lock.json" "$here/validate.mjs" "$work/"
(cd "$work" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || {
    echo "validate.sh: npm ci failed in $work" >&2
    exit 2
}
node "$work/validate.mjs" "$work/manifests.yaml"
