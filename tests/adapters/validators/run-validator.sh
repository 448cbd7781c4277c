#!/usr/bin/env bash
# ctest entry for validate.js: finds node and the packages installed by
# scripts/install-deps.sh (npm ci here). When node or
# the packages are absent: a skip saying how to install them, a failure under CI=true.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=../../missing_stack.sh
source "$here/../../missing_stack.sh"
if ! command -v node >/dev/null; then
  missing_stack "node is not installed (scripts/install-deps.sh installs it)"
fi
if [ ! -d "$here/node_modules/fhir" ] || [ ! -d "$here/node_modules/ajv" ] || [ ! -d "$here/node_modules/@medplum/core" ]; then
  missing_stack "validator packages missing; run: (cd $here && npm ci)"
fi
exec node "$here/validate.js" "$@"
