#!/usr/bin/env bash
# ctest entry for conformance.mjs: finds node and the npm packages that scripts/install-deps.sh
# installs here (npm ci of package-lock.json). When either is missing the suite fails under
# CI=true, since CI must run it, and reports SKIP (exit 77) on a developer machine.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
missing() {
  case "${CI:-}" in
    1|true|TRUE|yes) echo "FAIL: $1"; exit 1 ;;
    *) echo "SKIP: $1"; exit 77 ;;
  esac
}
command -v node >/dev/null || missing "node is not installed (scripts/install-deps.sh installs it)"
# undici 7 needs node >= 20.18.1.
node -e 'const [a, b, c] = process.versions.node.split(".").map(Number);
         process.exit(a > 20 || (a === 20 && (b > 18 || (b === 18 && c >= 1))) ? 0 : 1)' ||
  missing "node $(node --version) is older than 20.18.1, which undici 7 needs"
for package in @grpc/grpc-js @grpc/proto-loader protobufjs undici; do
  [ -d "$here/node_modules/$package" ] || missing "npm package $package missing; run: (cd $here && npm ci)"
done
exec node "$here/conformance.mjs" "$@"
