#!/usr/bin/env bash
# ctest entry for validate.js: finds node and the packages installed by
# scripts/install-deps.sh (npm ci here). Exit 77 (ctest SKIP_RETURN_CODE) only when node or
# the packages are absent, with a message saying how to install them.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if ! command -v node >/dev/null; then
  echo "SKIP: node is not installed (scripts/install-deps.sh installs it)"; exit 77
fi
if [ ! -d "$here/node_modules/fhir" ] || [ ! -d "$here/node_modules/ajv" ] || [ ! -d "$here/node_modules/@medplum/core" ]; then
  echo "SKIP: validator packages missing; run: (cd $here && npm ci)"; exit 77
fi
exec node "$here/validate.js" "$@"
