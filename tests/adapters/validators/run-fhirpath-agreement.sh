#!/usr/bin/env bash
# ctest entry for fhirpath_agreement.js: writes the cases (ix_fhirpath_cases CASES_TOOL OUT_DIR
# COUNT), then lets the independent FHIRPath engine judge them. Exit 77 (SKIP) only when node or
# the npm packages are absent. Dates are compared in UTC on both sides (today()).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cases_tool="$1" out="$2" count="${3:-1000}"
if ! command -v node >/dev/null; then
  echo "SKIP: node is not installed (scripts/install-deps.sh installs it)"; exit 77
fi
if [ ! -d "$here/node_modules/fhirpath" ]; then
  echo "SKIP: npm fhirpath missing; run: (cd $here && npm ci)"; exit 77
fi
export TZ=UTC
"$cases_tool" "$out" "$count"
exec node "$here/fhirpath_agreement.js" "$out" --min-cases "$count"
