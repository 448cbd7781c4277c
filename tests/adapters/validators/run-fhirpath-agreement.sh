#!/usr/bin/env bash
# ctest entry for fhirpath_agreement.js: writes the cases (ix_fhirpath_cases CASES_TOOL OUT_DIR
# COUNT), then lets the independent FHIRPath engine judge them. Node or the npm packages absent:
# a skip, a failure under CI=true. Dates are compared in UTC on both sides (today()).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=../../missing_stack.sh
source "$here/../../missing_stack.sh"
cases_tool="$1" out="$2" count="${3:-1000}"
if ! command -v node >/dev/null; then
  missing_stack "node is not installed (scripts/install-deps.sh installs it)"
fi
if [ ! -d "$here/node_modules/fhirpath" ]; then
  missing_stack "npm fhirpath missing; run: (cd $here && npm ci)"
fi
export TZ=UTC
"$cases_tool" "$out" "$count"
exec node "$here/fhirpath_agreement.js" "$out" --min-cases "$count"
