#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test suite with ctest.
#   IX_SANITIZE=1  the same under AddressSanitizer + UndefinedBehaviorSanitizer
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh
build_dir=${BUILD_DIR:-build}
[ "${IX_SANITIZE:-0}" = 1 ] && build_dir=${BUILD_DIR:-build-asan}
ctest --test-dir "$build_dir" --output-on-failure -j "${IX_JOBS:-$(nproc)}"
