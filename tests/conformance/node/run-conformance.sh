#!/usr/bin/env bash
# ctest entry for conformance.mjs: finds node and the npm packages that scripts/install-deps.sh
# installs here (npm ci of package-lock.json). When either is absent: a skip saying how to
# install them, a failure under CI=true (tests/missing_stack.sh).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=../../missing_stack.sh
source "$here/../../missing_stack.sh"
command -v node >/dev/null || missing_stack "node is not installed (scripts/install-deps.sh installs it)"
# undici 7 needs node >= 20.18.1.
node -e 'const [a, b, c] = process.versions.node.split(".").map(Number);
         process.exit(a > 20 || (a === 20 && (b > 18 || (b === 18 && c >= 1))) ? 0 : 1)' ||
  missing_stack "node $(node --version) is older than 20.18.1, which undici 7 needs"
for package in @grpc/grpc-js @grpc/proto-loader protobufjs undici; do
  [ -d "$here/node_modules/$package" ] || missing_stack "npm package $package missing; run: (cd $here && npm ci)"
done
exec node "$here/conformance.mjs" "$@"
