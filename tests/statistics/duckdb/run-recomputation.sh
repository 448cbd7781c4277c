#!/usr/bin/env bash
# ctest entry for recompute.mjs: finds node and @duckdb/node-api (npm ci here, run by
# scripts/install-deps.sh). When either is absent: a skip saying how to install it, a failure
# under CI=true.
#   run-recomputation.sh IXCTL WORK_DIR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=../../missing_stack.sh
source "$here/../../missing_stack.sh"
if ! command -v node >/dev/null; then
  missing_stack "node is not installed (scripts/install-deps.sh installs it)"
fi
if [ ! -d "$here/node_modules/@duckdb/node-api" ]; then
  missing_stack "@duckdb/node-api missing; run: (cd $here && npm ci)"
fi
exec node "$here/recompute.mjs" --ixctl "$1" --work "$2"
